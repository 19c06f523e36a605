/// What an alert looks like to the learning engine: its alertname plus a fixed, ordered set of
/// labels, with volatile values (numbers, hex hashes, IPs, UUIDs, durations, percentages)
/// replaced by placeholders, so that two occurrences of the same fault have the same
/// fingerprint even when a counter, an address or a container id differs.
///
/// Parts are `name=value` strings in `SymptomFingerprint.labels` order, alertname first;
/// absent or empty labels give no part. `sha256` is the hex SHA-256 of the parts joined by
/// newlines (the value stored in `alert_fingerprints.sha256` and
/// `remediation_patterns.fingerprint`).
public struct SymptomFingerprint: Sendable, Hashable {
    /// The labels that make up a symptom, in order (after `alertname`).
    public static let labels = [
        "system", "remediation_host", "category", "job", "severity", "container", "service", "host", "device", "filesystem",
    ]
    /// Parts whose absence on one side only caps similarity at `SymptomSimilarity.missingRequiredCap`.
    public static let requiredLabels: Set<String> = ["container", "system", "remediation_host"]

    public var alertname: String
    /// `alertname=…` then `label=normalised value` for each present label, in order.
    public var parts: [String]
    /// Lower-case hex SHA-256 of `parts` joined by "\n" (computed when asked: choosing a
    /// pattern never needs it).
    public var sha256: String { SHA256.hex(parts.joined(separator: "\n").utf8) }

    /// The fingerprint of an alert's labels.
    public init(labels: [String: String]) {
        let alertname = labels["alertname"] ?? ""
        var parts = ["alertname=" + alertname]
        for name in SymptomFingerprint.labels {
            guard let value = labels[name], !value.isEmpty else { continue }
            parts.append(name + "=" + VolatileValues.normalise(value))
        }
        self.init(alertname: alertname, parts: parts)
    }

    /// A fingerprint from stored parts (as read back from `symptom_parts`).
    public init(alertname: String, parts: [String]) {
        self.alertname = alertname
        self.parts = parts
    }

    /// The label name of a part (`container` for `container=nginx`).
    static func name(of part: String) -> Substring {
        part.firstIndex(of: "=").map { part[..<$0] } ?? Substring(part)
    }
}

/// Replaces the volatile pieces of a label value by placeholders: `<uuid>`, `<ip>`, `<hex>`,
/// `<duration>`, `<pct>` and `<n>`. A hex hash is 8 or more hex digits with at least one
/// digit and one letter.
///
/// A piece is only replaced when it stands alone (bounded by the start, the end or a
/// character that is not a letter, digit or `_`): `web-2` becomes `web-<n>` but `pve2` stays
/// `pve2`, since a digit inside a name is part of the name.
///
/// Every volatile piece is ASCII (but the `µs` unit), so the value is scanned as UTF-8 bytes:
/// a byte of a non-ASCII character is never a letter or digit, as the character is not. A value
/// with nothing volatile is returned as it is, without a copy, and one with no digit, `-` or `:`
/// is not scanned at all (every placeholder needs one of them).
public enum VolatileValues {
    /// The normalised form of `value`.
    public static func normalise(_ value: String) -> String {
        let replaced = value.utf8.withContiguousStorageIfAvailable { normalised($0) } ?? normalised(Array(value.utf8))
        return replaced ?? value
    }

    /// The normalised bytes, or nil when nothing in `s` is volatile.
    static func normalised<Bytes: RandomAccessCollection<UInt8>>(_ s: Bytes) -> String? where Bytes.Index == Int {
        guard s.contains(where: { isDigit($0) || $0 == dash || $0 == colon }) else { return nil }
        var out: [UInt8] = []
        var copied = 0
        var i = 0
        while i < s.count {
            let boundary = i == 0 || !isWord(s[i - 1])
            if boundary, let (end, placeholder) = volatile(s, at: i) {
                out.append(contentsOf: s[copied..<i])
                out.append(contentsOf: placeholder.utf8)
                copied = end
                i = end
                continue
            }
            // Skip the rest of this word (or one separator): it stays as it is.
            if isWord(s[i]) {
                while i < s.count, isWord(s[i]) { i += 1 }
            } else {
                i += 1
            }
        }
        guard copied > 0 else { return nil }
        out.append(contentsOf: s[copied...])
        return String(decoding: out, as: UTF8.self)
    }

    static let dash = UInt8(ascii: "-")
    static let colon = UInt8(ascii: ":")
    static let dot = UInt8(ascii: ".")

    static func isWord(_ c: UInt8) -> Bool { isAlphaNumeric(c) || c == UInt8(ascii: "_") }
    static func isAlphaNumeric(_ c: UInt8) -> Bool { isDigit(c) || (c | 0x20) >= UInt8(ascii: "a") && (c | 0x20) <= UInt8(ascii: "z") }
    static func isDigit(_ c: UInt8) -> Bool { c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9") }
    static func isHex(_ c: UInt8) -> Bool { isDigit(c) || (c | 0x20) >= UInt8(ascii: "a") && (c | 0x20) <= UInt8(ascii: "f") }

    /// The volatile piece starting at `i` (a word boundary), if any: where it ends and its placeholder.
    static func volatile<Bytes: RandomAccessCollection<UInt8>>(_ s: Bytes, at i: Int) -> (Int, String)? where Bytes.Index == Int {
        func endsWord(_ j: Int) -> Bool { j >= s.count || !isWord(s[j]) }
        if let end = uuid(s, at: i), endsWord(end) { return (end, "<uuid>") }
        if let end = ipv4(s, at: i), end >= s.count || !(isWord(s[end]) || s[end] == dot) { return (end, "<ip>") }
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
        if j + 1 < s.count, s[j] == dot, isDigit(s[j + 1]) {
            j += 1
            while j < s.count, isDigit(s[j]) { j += 1 }
        }
        if j < s.count, s[j] == UInt8(ascii: "%") { return (j + 1, "<pct>") }
        if endsWord(j) { return (j, "<n>") }
        if let durationEnd = duration(s, from: i), endsWord(durationEnd) { return (durationEnd, "<duration>") }
        return nil
    }

    /// `1h30m`, `250ms`, `2.5s`, `3d`: one or more number+unit pairs.
    /// Duration units as UTF-8, longest first.
    static let durationUnits: [[UInt8]] = ["ns", "us", "µs", "ms", "s", "m", "h", "d", "w", "y"].map { Array($0.utf8) }
        .sorted { $0.count > $1.count }

    static func duration<Bytes: RandomAccessCollection<UInt8>>(_ s: Bytes, from start: Int) -> Int? where Bytes.Index == Int {
        var i = start
        var pairs = 0
        while i < s.count, isDigit(s[i]) {
            while i < s.count, isDigit(s[i]) { i += 1 }
            if i + 1 < s.count, s[i] == dot, isDigit(s[i + 1]) {
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
    static func uuid<Bytes: RandomAccessCollection<UInt8>>(_ s: Bytes, at start: Int) -> Int? where Bytes.Index == Int {
        var i = start
        for (index, length) in [8, 4, 4, 4, 12].enumerated() {
            if index > 0 {
                guard i < s.count, s[i] == dash else { return nil }
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
    static func ipv4<Bytes: RandomAccessCollection<UInt8>>(_ s: Bytes, at start: Int) -> Int? where Bytes.Index == Int {
        var i = start
        for octet in 0..<4 {
            if octet > 0 {
                guard i < s.count, s[i] == dot else { return nil }
                i += 1
            }
            let begin = i
            while i < s.count, isDigit(s[i]), i - begin < 3 { i += 1 }
            guard i > begin else { return nil }
        }
        if i + 1 < s.count, s[i] == UInt8(ascii: "/"), isDigit(s[i + 1]) {
            i += 1
            while i < s.count, isDigit(s[i]) { i += 1 }
        }
        return i
    }

    /// Hex groups and at least two colons (`fe80::1`, `2001:db8::2:1`).
    static func ipv6<Bytes: RandomAccessCollection<UInt8>>(_ s: Bytes, at start: Int) -> Int? where Bytes.Index == Int {
        var i = start
        var colons = 0
        var hexDigits = 0
        while i < s.count, isHex(s[i]) || s[i] == colon {
            if s[i] == colon { colons += 1 } else { hexDigits += 1 }
            i += 1
        }
        return colons >= 2 && hexDigits >= 1 ? i : nil
    }
}
