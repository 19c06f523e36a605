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
        var out = "{"
        var first = true
        for name in dictionary.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) {
            if !first { out.append(",") }
            first = false
            appendQuoted(name, to: &out)
            out.append(":")
            appendQuoted(dictionary[name] ?? "", to: &out)
        }
        out.append("}")
        return out
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
