/// A forward-only reader over UTF-8 JSON text (RFC 8259), for decoders that map JSON straight
/// onto their own types without building a tree.
///
/// The scanner validates everything it passes over, including values the caller skips:
/// structure, string escapes (`\uXXXX` with surrogate pairs; an unpaired surrogate is an
/// error, never U+FFFD), raw control characters in strings (an error), UTF-8 well-formedness
/// (Unicode table 3-7: no overlongs, no encoded surrogates, nothing above U+10FFFF), number
/// grammar (no leading zeros, no `1.`, no `.5`, no `+1`), the literals `true`, `false`, `null`,
/// nesting depth (at most `maximumDepth` open arrays and objects) and trailing input.
///
/// It never allocates while scanning. String contents are read as UTF-8 bytes: a slice of the
/// input when the string has no escapes, otherwise unescaped into a caller-provided scratch
/// buffer at least as long as the input (unescaping never lengthens a string).
///
/// Syntax errors are `WebhookDecodingError`s whose reason starts with `invalid JSON: ` and
/// ends with the position: `at line 3, column 14 (byte 97)`, where lines and columns count
/// from 1 (columns in Unicode scalars) and the byte offset from 0.
///
/// Recursion (in `skipValue`) is bounded by `maximumDepth`.
package struct JSONScanner {
    /// How many arrays and objects may be open at once; the top-level value counts as one.
    static let maximumDepth = 64

    /// A string token: the bytes between the quotes, still escaped.
    package struct StringToken {
        /// Offset of the first byte after the opening quote.
        var start: Int
        /// Offset of the closing quote.
        var end: Int
        /// Whether the raw bytes contain a backslash, so that `utf8(_:)` must unescape.
        var hasEscapes: Bool
    }

    /// A number token.
    struct NumberToken {
        var start: Int
        var end: Int
        /// True when the number has neither a fraction nor an exponent.
        var isInteger: Bool
    }

    /// The whole input.
    let bytes: UnsafeBufferPointer<UInt8>
    /// Where escaped strings are unescaped; at least `bytes.count` long.
    let scratch: UnsafeMutableBufferPointer<UInt8>
    /// The next byte to read.
    package private(set) var index = 0
    /// Open arrays and objects.
    private(set) var depth = 0

    /// - Precondition: `scratch.count >= bytes.count`.
    package init(bytes: UnsafeBufferPointer<UInt8>, scratch: UnsafeMutableBufferPointer<UInt8>) {
        precondition(scratch.count >= bytes.count, "the scratch buffer must be as long as the input")
        self.bytes = bytes
        self.scratch = scratch
    }

    // MARK: - Bytes and positions

    /// The byte at `index`, or nil at the end of the input.
    @inline(__always)
    package var peek: UInt8? { index < bytes.count ? bytes[index] : nil }

    /// Skips a UTF-8 byte order mark at the very start, as RFC 8259 §8.1 permits.
    mutating func skipByteOrderMark() {
        if index == 0, bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { index = 3 }
    }

    /// Skips JSON whitespace (space, tab, line feed, carriage return).
    @inline(__always)
    package mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x0A, 0x0D, 0x09: index += 1
            default: return
            }
        }
    }

    /// Requires that only whitespace follows.
    package mutating func expectEnd() throws(WebhookDecodingError) {
        skipWhitespace()
        if index < bytes.count {
            throw syntaxError("unexpected \(describe(bytes[index])) after the top-level value", at: index)
        }
    }

    /// An `invalid JSON: …` error at byte `offset`, with its line and column.
    func syntaxError(_ message: String, at offset: Int) -> WebhookDecodingError {
        let offset = min(max(offset, 0), bytes.count)
        var line = 1
        var column = 1
        for i in 0..<offset {
            let byte = bytes[i]
            if byte == UInt8(ascii: "\n") {
                line += 1
                column = 1
            } else if byte & 0xC0 != 0x80 {
                column += 1
            }
        }
        return WebhookDecodingError("invalid JSON: \(message) at line \(line), column \(column) (byte \(offset))")
    }

    /// `unexpected end of input` at the end of the input.
    func unexpectedEnd() -> WebhookDecodingError { syntaxError("unexpected end of input", at: bytes.count) }

    /// `'x'` for printable ASCII (`"'"` for the apostrophe), `byte 0xFF` otherwise.
    func describe(_ byte: UInt8) -> String {
        if byte == UInt8(ascii: "'") { return "\"'\"" }
        if byte > 0x20, byte < 0x7F { return "'\(Character(Unicode.Scalar(byte)))'" }
        return "byte 0x" + hex(byte)
    }

    private func hex(_ byte: UInt8) -> String {
        let digits = Array("0123456789ABCDEF")
        return String([digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]])
    }

    /// An error for the byte at `index` where a value should start (or the end of input).
    private func expectedValue() -> WebhookDecodingError {
        guard let byte = peek else { return unexpectedEnd() }
        return syntaxError("expected a value, found \(describe(byte))", at: index)
    }

    // MARK: - Containers

    /// Consumes `{` at `index` and the whitespace after it.
    @inline(__always)
    package mutating func enterObject() throws(WebhookDecodingError) {
        try enter()
    }

    /// Consumes `[` at `index` and the whitespace after it.
    @inline(__always)
    mutating func enterArray() throws(WebhookDecodingError) {
        try enter()
    }

    @inline(__always)
    private mutating func enter() throws(WebhookDecodingError) {
        depth += 1
        if depth > JSONScanner.maximumDepth {
            throw syntaxError("nesting deeper than \(JSONScanner.maximumDepth) levels", at: index)
        }
        index += 1
        skipWhitespace()
    }

    /// Moves to the next member of the object entered last: returns its key with `index` at
    /// the start of its value, or nil after consuming the closing `}`.
    /// - Parameter first: true before the first member; set to false.
    @inline(__always)
    package mutating func nextMember(_ first: inout Bool) throws(WebhookDecodingError) -> StringToken? {
        guard try next(&first, close: UInt8(ascii: "}"), after: "an object member") else { return nil }
        guard index < bytes.count else { throw unexpectedEnd() }
        guard bytes[index] == UInt8(ascii: "\"") else {
            throw syntaxError("expected a string key, found \(describe(bytes[index]))", at: index)
        }
        let key = try scanString()
        skipWhitespace()
        guard index < bytes.count else { throw unexpectedEnd() }
        guard bytes[index] == UInt8(ascii: ":") else {
            throw syntaxError("expected ':' after an object key, found \(describe(bytes[index]))", at: index)
        }
        index += 1
        skipWhitespace()
        return key
    }

    /// Moves to the next element of the array entered last: returns true with `index` at the
    /// start of the element, or false after consuming the closing `]`.
    /// - Parameter first: true before the first element; set to false.
    @inline(__always)
    mutating func nextElement(_ first: inout Bool) throws(WebhookDecodingError) -> Bool {
        try next(&first, close: UInt8(ascii: "]"), after: "an array element")
    }

    /// Moves past what follows an item of the container entered last: returns true with
    /// `index` at the start of the next item, or false after consuming `close` (before the
    /// first item, `close` may follow at once; after one, a `,` or `close` must).
    @inline(__always)
    private mutating func next(_ first: inout Bool, close: UInt8, after item: StaticString) throws(WebhookDecodingError) -> Bool {
        if first {
            first = false
            guard index < bytes.count, bytes[index] == close else { return true }
        } else {
            skipWhitespace()
            guard index < bytes.count else { throw unexpectedEnd() }
            if bytes[index] == UInt8(ascii: ",") {
                index += 1
                skipWhitespace()
                return true
            }
            guard bytes[index] == close else {
                throw syntaxError("expected ',' or \(describe(close)) after \(item), found \(describe(bytes[index]))", at: index)
            }
        }
        index += 1
        depth -= 1
        return false
    }

    // MARK: - Values

    /// Validates and passes over one value of any kind starting at `index`.
    /// Recursion depth is bounded by `maximumDepth`.
    package mutating func skipValue() throws(WebhookDecodingError) {
        guard index < bytes.count else { throw unexpectedEnd() }
        switch bytes[index] {
        case UInt8(ascii: "\""):
            _ = try scanString()
        case UInt8(ascii: "{"):
            try enterObject()
            var first = true
            while try nextMember(&first) != nil { try skipValue() }
        case UInt8(ascii: "["):
            try enterArray()
            var first = true
            while try nextElement(&first) { try skipValue() }
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            _ = try scanNumber()
        case UInt8(ascii: "t"):
            try scanLiteral("true")
        case UInt8(ascii: "f"):
            try scanLiteral("false")
        case UInt8(ascii: "n"):
            try scanLiteral("null")
        default:
            throw expectedValue()
        }
    }

    /// Consumes `null` if it is at `index`; returns whether it was.
    @inline(__always)
    mutating func skipNull() throws(WebhookDecodingError) -> Bool {
        guard index < bytes.count, bytes[index] == UInt8(ascii: "n") else { return false }
        try scanLiteral("null")
        return true
    }

    /// Consumes `word` (`true`, `false` or `null`) at `index`.
    private mutating func scanLiteral(_ word: StaticString) throws(WebhookDecodingError) {
        let start = index
        let count = word.utf8CodeUnitCount
        let expected = UnsafeBufferPointer(start: word.utf8Start, count: count)
        for k in 0..<count {
            guard start + k < bytes.count else { throw unexpectedEnd() }
            guard bytes[start + k] == expected[k] else {
                throw syntaxError("invalid literal, expected '\(word)'", at: start)
            }
        }
        index = start + count
    }

    /// Consumes a number at `index` (RFC 8259 grammar).
    mutating func scanNumber() throws(WebhookDecodingError) -> NumberToken {
        let start = index
        var i = index
        let end = bytes.count
        if i < end, bytes[i] == UInt8(ascii: "-") { i += 1 }
        guard i < end else { throw unexpectedEnd() }
        switch bytes[i] {
        case UInt8(ascii: "0"):
            i += 1
            if i < end, isDigit(bytes[i]) { throw syntaxError("invalid number: leading zero", at: start) }
        case UInt8(ascii: "1")...UInt8(ascii: "9"):
            i += 1
            while i < end, isDigit(bytes[i]) { i += 1 }
        case let byte:
            throw syntaxError("invalid number: expected a digit, found \(describe(byte))", at: i)
        }
        var isInteger = true
        if i < end, bytes[i] == UInt8(ascii: ".") {
            isInteger = false
            i += 1
            i = try digits(from: i, after: "'.'")
        }
        if i < end, bytes[i] | 0x20 == UInt8(ascii: "e") {
            isInteger = false
            i += 1
            if i < end, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") { i += 1 }
            i = try digits(from: i, after: "the exponent")
        }
        index = i
        return NumberToken(start: start, end: i, isInteger: isInteger)
    }

    /// One or more digits from `i`; returns the offset after them.
    private func digits(from i: Int, after what: String) throws(WebhookDecodingError) -> Int {
        guard i < bytes.count else { throw unexpectedEnd() }
        guard isDigit(bytes[i]) else {
            throw syntaxError("invalid number: expected a digit after \(what), found \(describe(bytes[i]))", at: i)
        }
        var j = i + 1
        while j < bytes.count, isDigit(bytes[j]) { j += 1 }
        return j
    }

    @inline(__always)
    private func isDigit(_ byte: UInt8) -> Bool { byte &- UInt8(ascii: "0") < 10 }

    /// The number's text.
    func text(_ number: NumberToken) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(rebasing: bytes[number.start..<number.end])
    }

    // MARK: - Strings

    /// Consumes a string at `index` (which must be `"`), validating escapes and UTF-8.
    package mutating func scanString() throws(WebhookDecodingError) -> StringToken {
        let start = index + 1
        var i = start
        var hasEscapes = false
        let end = bytes.count
        while true {
            // Eight plain bytes at a time: no quote, backslash, control byte or non-ASCII byte.
            while i &+ 8 <= end {
                // The buffer holds at least 8 bytes here, so it has a base address.
                let word = UnsafeRawPointer(bytes.baseAddress.unsafelyUnwrapped + i).loadUnaligned(as: UInt64.self)
                if JSONScanner.needsAttention(word) { break }
                i &+= 8
            }
            guard i < end else { throw unexpectedEnd() }
            let byte = bytes[i]
            if byte == UInt8(ascii: "\"") {
                index = i + 1
                return StringToken(start: start, end: i, hasEscapes: hasEscapes)
            } else if byte == UInt8(ascii: "\\") {
                hasEscapes = true
                i = try validateEscape(at: i)
            } else if byte < 0x20 {
                throw syntaxError("unescaped control character U+00\(hex(byte)) in a string", at: i)
            } else if byte < 0x80 {
                i += 1
            } else {
                i = try validateUTF8(at: i)
            }
        }
    }

    /// Whether any of the eight bytes is `"`, `\`, below 0x20 or at least 0x80.
    @inline(__always)
    private static func needsAttention(_ word: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        let quote = word ^ (ones &* 0x22)
        let backslash = word ^ (ones &* 0x5C)
        // (x - 0x01…) & ~x & 0x80… is non-zero exactly when some byte of x is zero;
        // (x - 0x20…) & ~x & 0x80… when some byte is below 0x20.
        let hasQuote = (quote &- ones) & ~quote
        let hasBackslash = (backslash &- ones) & ~backslash
        let hasControl = (word &- ones &* 0x20) & ~word
        return (hasQuote | hasBackslash | hasControl | word) & highs != 0
    }

    /// Validates the escape at `i` (a backslash); returns the offset after it.
    private func validateEscape(at i: Int) throws(WebhookDecodingError) -> Int {
        guard i + 1 < bytes.count else { throw unexpectedEnd() }
        switch bytes[i + 1] {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
            UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
            return i + 2
        case UInt8(ascii: "u"):
            let unit = try hex4(at: i + 2, escape: i)
            switch unit {
            case 0xD800...0xDBFF:
                guard i + 6 < bytes.count else { throw unexpectedEnd() }
                guard bytes[i + 6] == UInt8(ascii: "\\") else { throw unpaired(unit, at: i) }
                guard i + 7 < bytes.count else { throw unexpectedEnd() }
                guard bytes[i + 7] == UInt8(ascii: "u") else { throw unpaired(unit, at: i) }
                let low = try hex4(at: i + 8, escape: i + 6)
                guard (0xDC00...0xDFFF).contains(low) else { throw unpaired(unit, at: i) }
                return i + 12
            case 0xDC00...0xDFFF:
                throw unpaired(unit, at: i)
            default:
                return i + 6
            }
        case let byte:
            if byte > 0x20, byte < 0x7F {
                throw syntaxError("invalid escape '\\\(Character(Unicode.Scalar(byte)))' in a string", at: i)
            }
            throw syntaxError("invalid escape (backslash then \(describe(byte))) in a string", at: i)
        }
    }

    private func unpaired(_ unit: UInt16, at i: Int) -> WebhookDecodingError {
        syntaxError("unpaired surrogate \\u\(hex(UInt8(unit >> 8)))\(hex(UInt8(unit & 0xFF))) in a string", at: i)
    }

    /// Four hex digits at `j`, part of the `\u` escape at `escape`.
    private func hex4(at j: Int, escape: Int) throws(WebhookDecodingError) -> UInt16 {
        var value: UInt16 = 0
        for k in j..<(j + 4) {
            guard k < bytes.count else { throw unexpectedEnd() }
            guard let digit = JSONScanner.hexValue(bytes[k]) else {
                throw syntaxError("invalid \\u escape: \(describe(bytes[k])) is not a hex digit", at: escape)
            }
            value = value << 4 | UInt16(digit)
        }
        return value
    }

    /// The value of one hexadecimal digit, or nil.
    @inline(__always)
    static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }

    /// Validates the UTF-8 sequence whose lead byte (≥ 0x80) is at `i` (Unicode table 3-7);
    /// returns the offset after it.
    private func validateUTF8(at i: Int) throws(WebhookDecodingError) -> Int {
        let lead = bytes[i]
        let length: Int
        var low: UInt8 = 0x80
        var high: UInt8 = 0xBF
        switch lead {
        case 0xC2...0xDF: length = 2
        case 0xE0:
            length = 3
            low = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED:
            length = 3
            high = 0x9F
        case 0xF0:
            length = 4
            low = 0x90
        case 0xF1...0xF3: length = 4
        case 0xF4:
            length = 4
            high = 0x8F
        default: throw syntaxError("invalid UTF-8 byte 0x\(hex(lead))", at: i)
        }
        for k in 1..<length {
            guard i + k < bytes.count else { throw unexpectedEnd() }
            let byte = bytes[i + k]
            let (min, max) = k == 1 ? (low, high) : (0x80, 0xBF)
            guard byte >= min, byte <= max else { throw syntaxError("invalid UTF-8 byte 0x\(hex(byte))", at: i + k) }
        }
        return i + length
    }

    /// The string's unescaped UTF-8 bytes: a slice of the input, or of the scratch buffer
    /// (then valid only until the next call).
    @inline(__always)
    func utf8(_ token: StringToken) -> UnsafeBufferPointer<UInt8> {
        if !token.hasEscapes { return UnsafeBufferPointer(rebasing: bytes[token.start..<token.end]) }
        return unescape(token)
    }

    /// The string's value.
    @inline(__always)
    package func string(_ token: StringToken) -> String {
        String(decoding: utf8(token), as: UTF8.self)
    }

    /// Unescapes a string that `scanString` validated into the scratch buffer.
    private func unescape(_ token: StringToken) -> UnsafeBufferPointer<UInt8> {
        var out = 0
        var i = token.start
        while i < token.end {
            let byte = bytes[i]
            if byte != UInt8(ascii: "\\") {
                scratch[out] = byte
                out += 1
                i += 1
                continue
            }
            let kind = bytes[i + 1]
            i += 2
            let decoded: UInt8
            switch kind {
            case UInt8(ascii: "b"): decoded = 0x08
            case UInt8(ascii: "f"): decoded = 0x0C
            case UInt8(ascii: "n"): decoded = 0x0A
            case UInt8(ascii: "r"): decoded = 0x0D
            case UInt8(ascii: "t"): decoded = 0x09
            case UInt8(ascii: "u"):
                var scalar = UInt32(rawHex4(at: i))
                i += 4
                if scalar >= 0xD800, scalar <= 0xDBFF {
                    let low = UInt32(rawHex4(at: i + 2))
                    i += 6
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                }
                out = encodeUTF8(scalar, at: out)
                continue
            default: decoded = kind  // '"', '\\' and '/' stand for themselves
            }
            scratch[out] = decoded
            out += 1
        }
        return UnsafeBufferPointer(rebasing: scratch[0..<out])
    }

    /// Four hex digits already validated by `scanString`.
    @inline(__always)
    private func rawHex4(at j: Int) -> UInt16 {
        var value: UInt16 = 0
        for k in j..<(j + 4) { value = value << 4 | UInt16(JSONScanner.hexValue(bytes[k]) ?? 0) }
        return value
    }

    /// Writes `scalar` (a valid scalar value) as UTF-8 at `out`; returns the offset after it.
    @inline(__always)
    private func encodeUTF8(_ scalar: UInt32, at out: Int) -> Int {
        switch scalar {
        case 0..<0x80:
            scratch[out] = UInt8(scalar)
            return out + 1
        case 0x80..<0x800:
            scratch[out] = UInt8(0xC0 | scalar >> 6)
            scratch[out + 1] = UInt8(0x80 | scalar & 0x3F)
            return out + 2
        case 0x800..<0x10000:
            scratch[out] = UInt8(0xE0 | scalar >> 12)
            scratch[out + 1] = UInt8(0x80 | scalar >> 6 & 0x3F)
            scratch[out + 2] = UInt8(0x80 | scalar & 0x3F)
            return out + 3
        default:
            scratch[out] = UInt8(0xF0 | scalar >> 18)
            scratch[out + 1] = UInt8(0x80 | scalar >> 12 & 0x3F)
            scratch[out + 2] = UInt8(0x80 | scalar >> 6 & 0x3F)
            scratch[out + 3] = UInt8(0x80 | scalar & 0x3F)
            return out + 4
        }
    }
}
