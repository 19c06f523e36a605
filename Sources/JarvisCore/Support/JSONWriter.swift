/// A small, fast JSON object writer for journal rows.
///
/// Rows are written by the hundred thousand during an ingest; building them through
/// `JSONEncoder` costs more than decoding the webhook. Keys are written in the order given,
/// and `[String: String]` objects with sorted keys, so equal rows are byte-identical.
public struct JSONWriter {
    public private(set) var text = "{"
    private var first = true

    public init() {}

    private mutating func key(_ name: String) {
        if !first { text.append(",") }
        first = false
        JSONWriter.appendQuoted(name, to: &text)
        text.append(":")
    }

    public mutating func field(_ name: String, _ value: String) {
        key(name)
        JSONWriter.appendQuoted(value, to: &text)
    }

    public mutating func field(_ name: String, _ value: String?) {
        key(name)
        if let value { JSONWriter.appendQuoted(value, to: &text) } else { text.append("null") }
    }

    public mutating func field(_ name: String, _ value: Int64) {
        key(name)
        text.append(String(value))
    }

    public mutating func field(_ name: String, _ value: Bool) {
        key(name)
        text.append(value ? "true" : "false")
    }

    /// A value that is already JSON text.
    public mutating func field(_ name: String, rawJSON: String) {
        key(name)
        text.append(rawJSON)
    }

    /// A nested object of strings, keys sorted by their UTF-8 bytes.
    public mutating func field(_ name: String, object: [String: String]) {
        key(name)
        text.append(JSONWriter.object(object))
    }

    /// The finished object.
    public mutating func finish() -> String {
        text.append("}")
        return text
    }

    /// `{"a":"1","b":"2"}` with keys sorted by their UTF-8 bytes.
    public static func object(_ dictionary: [String: String]) -> String {
        // Two of these per alert on the ingest path: written as bytes, keys compared as bytes.
        var pairs = Array(dictionary)
        pairs.sort { a, b in
            var x = a.key
            var y = b.key
            return x.withUTF8 { p in
                y.withUTF8 { q in
                    for i in 0..<min(p.count, q.count) where p[i] != q[i] { return p[i] < q[i] }
                    return p.count < q.count
                }
            }
        }
        var capacity = 2
        for (name, value) in pairs { capacity += name.utf8.count + value.utf8.count + 6 }
        var out: [UInt8] = []
        out.reserveCapacity(capacity)
        out.append(UInt8(ascii: "{"))
        for (index, (name, value)) in pairs.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            appendQuoted(name, bytes: &out)
            out.append(UInt8(ascii: ":"))
            appendQuoted(value, bytes: &out)
        }
        out.append(UInt8(ascii: "}"))
        return String(decoding: out, as: UTF8.self)
    }

    /// `appendQuoted(_:to:)` into UTF-8 bytes: the same escapes.
    static func appendQuoted(_ value: String, bytes out: inout [UInt8]) {
        let hex: StaticString = "0123456789abcdef"
        var value = value
        value.withUTF8 { utf8 in
            out.append(UInt8(ascii: "\""))
            // Most values need no escape at all: copy them (or their leading run) at once.
            var clean = 0
            while clean < utf8.count, utf8[clean] >= 0x20, utf8[clean] != UInt8(ascii: "\""), utf8[clean] != UInt8(ascii: "\\") {
                clean += 1
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[..<clean]))
            for byte in utf8[clean...] {
                switch byte {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"):
                    out.append(UInt8(ascii: "\\"))
                    out.append(byte)
                case UInt8(ascii: "\n"):
                    out.append(UInt8(ascii: "\\"))
                    out.append(UInt8(ascii: "n"))
                case UInt8(ascii: "\r"):
                    out.append(UInt8(ascii: "\\"))
                    out.append(UInt8(ascii: "r"))
                case UInt8(ascii: "\t"):
                    out.append(UInt8(ascii: "\\"))
                    out.append(UInt8(ascii: "t"))
                case 0..<0x20:
                    out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0")])
                    out.append(hex.utf8Start[Int(byte >> 4)])
                    out.append(hex.utf8Start[Int(byte & 0xF)])
                default:
                    out.append(byte)
                }
            }
            out.append(UInt8(ascii: "\""))
        }
    }

    /// Appends `value` as a JSON string literal (RFC 8259 escaping; non-ASCII kept as UTF-8).
    public static func appendQuoted(_ value: String, to out: inout String) {
        out.append("\"")
        var needsEscape = false
        for byte in value.utf8 where byte < 0x20 || byte == 0x22 || byte == 0x5C {
            needsEscape = true
            break
        }
        if !needsEscape {
            out.append(value)
        } else {
            for scalar in value.unicodeScalars {
                switch scalar {
                case "\"": out.append("\\\"")
                case "\\": out.append("\\\\")
                case "\n": out.append("\\n")
                case "\r": out.append("\\r")
                case "\t": out.append("\\t")
                case _ where scalar.value < 0x20:
                    let hex = String(scalar.value, radix: 16)
                    out.append("\\u" + String(repeating: "0", count: 4 - hex.count) + hex)
                default: out.unicodeScalars.append(scalar)
                }
            }
        }
        out.append("\"")
    }
}
