// The normalisation of volatile values as first written (over an array of Unicode scalars),
// kept as the definition the byte-level `VolatileValues.normalise` is checked against.

/// The reference: replaces the volatile pieces of a label value by placeholders: `<uuid>`, `<ip>`, `<hex>`,
/// `<duration>`, `<pct>` and `<n>`. A hex hash is 8 or more hex digits with at least one
/// digit and one letter.
///
/// A piece is only replaced when it stands alone (bounded by the start, the end or a
/// character that is not a letter, digit or `_`): `web-2` becomes `web-<n>` but `pve2` stays
/// `pve2`, since a digit inside a name is part of the name.
enum ReferenceVolatileValues {
    /// The normalised form of `value`.
    static func normalise(_ value: String) -> String {
        let s = Array(value.unicodeScalars)
        var out = String.UnicodeScalarView()
        var i = 0
        while i < s.count {
            let boundary = i == 0 || !isWord(s[i - 1])
            if boundary, let (end, placeholder) = volatile(s, at: i) {
                out.append(contentsOf: placeholder.unicodeScalars)
                i = end
                continue
            }
            // Copy the rest of this word (and one separator) unchanged.
            if isWord(s[i]) {
                while i < s.count, isWord(s[i]) {
                    out.append(s[i])
                    i += 1
                }
            } else {
                out.append(s[i])
                i += 1
            }
        }
        return String(out)
    }

    static func isWord(_ c: Unicode.Scalar) -> Bool { isAlphaNumeric(c) || c == "_" }
    static func isAlphaNumeric(_ c: Unicode.Scalar) -> Bool { isDigit(c) || ("a"..."z").contains(c) || ("A"..."Z").contains(c) }
    static func isDigit(_ c: Unicode.Scalar) -> Bool { ("0"..."9").contains(c) }
    static func isHex(_ c: Unicode.Scalar) -> Bool { isDigit(c) || ("a"..."f").contains(c) || ("A"..."F").contains(c) }

    /// The volatile piece starting at `i` (a word boundary), if any: where it ends and its placeholder.
    static func volatile(_ s: [Unicode.Scalar], at i: Int) -> (Int, String)? {
        func endsWord(_ j: Int) -> Bool { j >= s.count || !isWord(s[j]) }
        if let end = uuid(s, at: i), endsWord(end) { return (end, "<uuid>") }
        if let end = ipv4(s, at: i), end >= s.count || !(isWord(s[end]) || s[end] == ".") { return (end, "<ip>") }
        if let end = ipv6(s, at: i), endsWord(end) { return (end, "<ip>") }
        // A run of word characters: hex hash, number, percentage or duration.
        var end = i
        while end < s.count, isWord(s[end]) { end += 1 }
        let word = s[i..<end]
        if word.count >= 8, word.allSatisfy(isHex), word.contains(where: isDigit), !word.allSatisfy(isDigit) { return (end, "<hex>") }
        // number (with an optional fraction), then %, a duration unit, or nothing
        var j = i
        while j < s.count, isDigit(s[j]) { j += 1 }
        guard j > i else { return nil }
        if j + 1 < s.count, s[j] == ".", isDigit(s[j + 1]) {
            j += 1
            while j < s.count, isDigit(s[j]) { j += 1 }
        }
        if j < s.count, s[j] == "%" { return (j + 1, "<pct>") }
        if endsWord(j) { return (j, "<n>") }
        if let durationEnd = duration(s, from: i), endsWord(durationEnd) { return (durationEnd, "<duration>") }
        return nil
    }

    /// `1h30m`, `250ms`, `2.5s`, `3d`: one or more number+unit pairs.
    /// Duration units, longest first.
    static let durationUnits: [[Unicode.Scalar]] = ["ns", "us", "µs", "ms", "s", "m", "h", "d", "w", "y"].map { Array($0.unicodeScalars) }
        .sorted { $0.count > $1.count }

    static func duration(_ s: [Unicode.Scalar], from start: Int) -> Int? {
        var i = start
        var pairs = 0
        while i < s.count, isDigit(s[i]) {
            while i < s.count, isDigit(s[i]) { i += 1 }
            if i + 1 < s.count, s[i] == ".", isDigit(s[i + 1]) {
                i += 1
                while i < s.count, isDigit(s[i]) { i += 1 }
            }
            var matched = 0
            for unit in durationUnits where i + unit.count <= s.count && s[i..<i + unit.count].elementsEqual(unit) {
                matched = unit.count
                break
            }
            guard matched > 0 else { return nil }
            i += matched
            pairs += 1
        }
        return pairs > 0 ? i : nil
    }

    /// 8-4-4-4-12 hex digits.
    static func uuid(_ s: [Unicode.Scalar], at start: Int) -> Int? {
        var i = start
        for (index, length) in [8, 4, 4, 4, 12].enumerated() {
            if index > 0 {
                guard i < s.count, s[i] == "-" else { return nil }
                i += 1
            }
            for _ in 0..<length {
                guard i < s.count, isHex(s[i]) else { return nil }
                i += 1
            }
        }
        return i
    }

    /// Four dot-separated numbers of 1–3 digits, with an optional `/prefix`.
    static func ipv4(_ s: [Unicode.Scalar], at start: Int) -> Int? {
        var i = start
        for octet in 0..<4 {
            if octet > 0 {
                guard i < s.count, s[i] == "." else { return nil }
                i += 1
            }
            let begin = i
            while i < s.count, isDigit(s[i]), i - begin < 3 { i += 1 }
            guard i > begin else { return nil }
        }
        if i + 1 < s.count, s[i] == "/", isDigit(s[i + 1]) {
            i += 1
            while i < s.count, isDigit(s[i]) { i += 1 }
        }
        return i
    }

    /// Hex groups and at least two colons (`fe80::1`, `2001:db8::2:1`).
    static func ipv6(_ s: [Unicode.Scalar], at start: Int) -> Int? {
        var i = start
        var colons = 0
        var hexDigits = 0
        while i < s.count, isHex(s[i]) || s[i] == ":" {
            if s[i] == ":" { colons += 1 } else { hexDigits += 1 }
            i += 1
        }
        return colons >= 2 && hexDigits >= 1 ? i : nil
    }
}
