package import JarvisCore

/// A journal entry checked and prepared for `PostgresStore.apply`: its JSON object's
/// top-level keys (the columns it fills) and the JSON text to send, which always holds
/// `idempotency_key`.
///
/// Only the top level of the object is scanned (nested values are skipped, not decoded), so
/// preparing a 500-byte row costs about as much as reading it once. The server parses the
/// JSON properly; this scan only has to find the keys and be right about where they are.
package struct JournalRow: Sendable {
    /// The journal position.
    package var seq: Int64
    /// The target table.
    package var table: String
    /// The object's top-level keys, in the order they appear.
    package var columns: [String]
    /// The JSON object to send.
    package var json: String
    /// The row's idempotency key (the entry's).
    package var idempotencyKey: String

    /// Scans `entry.json`. When the object has no `idempotency_key`, the entry's
    /// `idempotencyKey` is added as the first member; when it has one, it must be the same
    /// string.
    ///
    /// - Throws: `PGError` `.protocolViolation` when the JSON is not one object, a key is
    ///   repeated, or its `idempotency_key` is not the entry's. Messages name the `seq`,
    ///   never a value.
    package init(_ entry: JournalEntry) throws(PGError) {
        let scan: JournalJSON.Scan
        do {
            scan = try JournalJSON.scanObject(entry.json)
        } catch {
            throw PGError(code: .protocolViolation, message: "journal entry seq \(entry.seq) (\(entry.table)): \(error.reason)")
        }
        guard Set(scan.keys).count == scan.keys.count else {
            throw PGError(code: .protocolViolation, message: "journal entry seq \(entry.seq) (\(entry.table)): a key appears twice in its JSON object")
        }
        self.seq = entry.seq
        self.table = entry.table
        self.idempotencyKey = entry.idempotencyKey
        switch scan.idempotencyKey {
        case .absent:
            let member = "\"idempotency_key\":" + JournalJSON.stringLiteral(entry.idempotencyKey)
            let utf8 = entry.json.utf8
            let afterBrace = utf8.index(utf8.startIndex, offsetBy: scan.openingBraceOffset + 1)
            self.json = "{" + member + (scan.keys.isEmpty ? "" : ",") + String(entry.json[afterBrace...])
            self.columns = ["idempotency_key"] + scan.keys
        case .string(let value) where value == entry.idempotencyKey:
            self.json = entry.json
            self.columns = scan.keys
        case .string, .notAString:
            throw PGError(
                code: .protocolViolation,
                message: "journal entry seq \(entry.seq) (\(entry.table)): idempotency_key in the JSON differs from the entry's idempotencyKey")
        }
    }
}

/// A just-enough JSON scanner for journal rows.
package enum JournalJSON {
    /// What `scanObject` found.
    package struct Scan: Sendable, Equatable {
        /// Top-level keys in order.
        package var keys: [String]
        /// The top-level `idempotency_key` member.
        package var idempotencyKey: Member
        /// Byte offset of the object's `{`.
        package var openingBraceOffset: Int
    }

    /// A member of interest.
    package enum Member: Sendable, Equatable {
        case absent
        case string(String)
        case notAString
    }

    /// Why a text is not one JSON object.
    package struct Failure: Error, Sendable, Equatable {
        package var reason: String
    }

    /// Scans one JSON object: its top-level keys and its `idempotency_key` string.
    ///
    /// - Throws: `Failure` when the text is not exactly one JSON object with string keys.
    package static func scanObject(_ text: String) throws(Failure) -> Scan {
        var text = text
        text.makeContiguousUTF8()
        let result: Result<Scan, Failure>? = text.utf8.withContiguousStorageIfAvailable { bytes in
            var scanner = Scanner(bytes: bytes)
            do throws(Failure) {
                return .success(try scanner.object())
            } catch {
                return .failure(error)
            }
        }
        guard let result else { throw Failure(reason: "the JSON text is not contiguous UTF-8") }
        return try result.get()
    }

    /// `value` as a JSON string literal, quotes included.
    package static func stringLiteral(_ value: String) -> String {
        var out = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case let control where control.value < 0x20:
                let hex = String(control.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    private struct Scanner {
        let bytes: UnsafeBufferPointer<UInt8>
        var index = 0

        init(bytes: UnsafeBufferPointer<UInt8>) {
            self.bytes = bytes
        }

        mutating func object() throws(Failure) -> Scan {
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: "{") else { throw Failure(reason: "the JSON text is not an object") }
            let brace = index
            index += 1
            var keys: [String] = []
            var idempotencyKey = Member.absent
            skipWhitespace()
            if peek() == UInt8(ascii: "}") {
                index += 1
            } else {
                while true {
                    skipWhitespace()
                    guard peek() == UInt8(ascii: "\"") else { throw Failure(reason: "expected a string key in the JSON object") }
                    let key = try string()
                    skipWhitespace()
                    guard peek() == UInt8(ascii: ":") else { throw Failure(reason: "expected ':' after a key in the JSON object") }
                    index += 1
                    skipWhitespace()
                    if key == "idempotency_key" {
                        if peek() == UInt8(ascii: "\"") {
                            idempotencyKey = .string(try string())
                        } else {
                            idempotencyKey = .notAString
                            try skipValue()
                        }
                    } else {
                        try skipValue()
                    }
                    keys.append(key)
                    skipWhitespace()
                    guard let next = peek() else { throw Failure(reason: "the JSON object is not closed") }
                    index += 1
                    if next == UInt8(ascii: "}") { break }
                    guard next == UInt8(ascii: ",") else { throw Failure(reason: "expected ',' or '}' in the JSON object") }
                }
            }
            skipWhitespace()
            guard index == bytes.count else { throw Failure(reason: "text follows the JSON object") }
            return Scan(keys: keys, idempotencyKey: idempotencyKey, openingBraceOffset: brace)
        }

        func peek() -> UInt8? { index < bytes.count ? bytes[index] : nil }

        mutating func skipWhitespace() {
            while index < bytes.count {
                switch bytes[index] {
                case UInt8(ascii: " "), UInt8(ascii: "\n"), UInt8(ascii: "\r"), UInt8(ascii: "\t"): index += 1
                default: return
                }
            }
        }

        /// Decodes the string starting at `index` (on its opening quote).
        mutating func string() throws(Failure) -> String {
            index += 1
            let start = index
            var escaped = false
            while index < bytes.count, bytes[index] != UInt8(ascii: "\"") {
                if bytes[index] == UInt8(ascii: "\\") {
                    escaped = true
                    index += 1
                }
                index += 1
            }
            guard index < bytes.count else { throw Failure(reason: "a JSON string is not closed") }
            let raw = UnsafeBufferPointer(rebasing: bytes[start..<index])
            index += 1
            return escaped ? try Scanner.unescape(raw) : String(decoding: raw, as: UTF8.self)
        }

        /// Skips the value starting at `index`.
        mutating func skipValue() throws(Failure) {
            guard let first = peek() else { throw Failure(reason: "a JSON value is missing") }
            switch first {
            case UInt8(ascii: "\""):
                _ = try skipString()
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                var depth = 0
                repeat {
                    guard index < bytes.count else { throw Failure(reason: "a JSON object or array is not closed") }
                    switch bytes[index] {
                    case UInt8(ascii: "\""):
                        try skipString()
                        continue
                    case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
                    case UInt8(ascii: "}"), UInt8(ascii: "]"): depth -= 1
                    default: break
                    }
                    index += 1
                } while depth > 0
            default:
                let start = index
                while index < bytes.count {
                    switch bytes[index] {
                    case UInt8(ascii: ","), UInt8(ascii: "}"), UInt8(ascii: "]"), UInt8(ascii: " "), UInt8(ascii: "\n"),
                        UInt8(ascii: "\r"), UInt8(ascii: "\t"):
                        guard index > start else { throw Failure(reason: "a JSON value is missing") }
                        return
                    default: index += 1
                    }
                }
            }
        }

        mutating func skipString() throws(Failure) {
            index += 1
            while index < bytes.count, bytes[index] != UInt8(ascii: "\"") {
                index += bytes[index] == UInt8(ascii: "\\") ? 2 : 1
            }
            guard index < bytes.count else { throw Failure(reason: "a JSON string is not closed") }
            index += 1
        }

        static func unescape(_ raw: UnsafeBufferPointer<UInt8>) throws(Failure) -> String {
            var out: [UInt8] = []
            out.reserveCapacity(raw.count)
            var i = 0
            var pendingHighSurrogate: UInt32?
            func hex4(_ at: Int) throws(Failure) -> UInt32 {
                guard at + 4 <= raw.count, let value = UInt32(String(decoding: raw[at..<at + 4], as: UTF8.self), radix: 16) else {
                    throw Failure(reason: "a JSON string has a bad \\u escape")
                }
                return value
            }
            func append(_ scalar: UInt32) throws(Failure) {
                guard let unicode = Unicode.Scalar(scalar) else { throw Failure(reason: "a JSON string has a bad \\u escape") }
                out.append(contentsOf: String(Character(unicode)).utf8)
            }
            while i < raw.count {
                let byte = raw[i]
                guard byte == UInt8(ascii: "\\"), i + 1 < raw.count else {
                    if pendingHighSurrogate != nil { throw Failure(reason: "a JSON string has a lone surrogate") }
                    out.append(byte)
                    i += 1
                    continue
                }
                let kind = raw[i + 1]
                i += 2
                if kind == UInt8(ascii: "u") {
                    let value = try hex4(i)
                    i += 4
                    if let high = pendingHighSurrogate {
                        guard (0xDC00...0xDFFF).contains(value) else { throw Failure(reason: "a JSON string has a lone surrogate") }
                        try append(0x10000 + ((high - 0xD800) << 10) + (value - 0xDC00))
                        pendingHighSurrogate = nil
                    } else if (0xD800...0xDBFF).contains(value) {
                        pendingHighSurrogate = value
                    } else {
                        try append(value)
                    }
                    continue
                }
                if pendingHighSurrogate != nil { throw Failure(reason: "a JSON string has a lone surrogate") }
                switch kind {
                case UInt8(ascii: "\""): out.append(UInt8(ascii: "\""))
                case UInt8(ascii: "\\"): out.append(UInt8(ascii: "\\"))
                case UInt8(ascii: "/"): out.append(UInt8(ascii: "/"))
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "t"): out.append(0x09)
                default: throw Failure(reason: "a JSON string has a bad escape")
                }
            }
            if pendingHighSurrogate != nil { throw Failure(reason: "a JSON string has a lone surrogate") }
            return String(decoding: out, as: UTF8.self)
        }
    }
}
