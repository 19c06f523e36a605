/// Builds a Prometheus text exposition (version 0.0.4), the format node_exporter's textfile
/// collector reads: per metric family one `# HELP`, one `# TYPE` and its samples.
public struct PrometheusText: Sendable {
    /// A metric family's type.
    public enum Kind: String, Sendable {
        case counter, gauge
    }

    public private(set) var text = ""

    public init() {}

    /// Adds a family. Its samples are `(labels, value)`; label names must be valid
    /// Prometheus names, values are escaped here.
    ///
    /// - Parameters:
    ///   - name: `jarvis_…`, `_total` for counters, base units (`_seconds`).
    ///   - help: One line.
    ///   - kind: Counter or gauge.
    ///   - samples: The samples; a family with none is left out.
    public mutating func family(_ name: String, _ help: String, _ kind: Kind, _ samples: [([(String, String)], Double)]) {
        guard !samples.isEmpty else { return }
        text += "# HELP \(name) \(Self.escapeHelp(help))\n# TYPE \(name) \(kind.rawValue)\n"
        for (labels, value) in samples {
            text += name
            if !labels.isEmpty {
                text += "{" + labels.map { "\($0.0)=\"\(Self.escapeLabel($0.1))\"" }.joined(separator: ",") + "}"
            }
            text += " " + Self.number(value) + "\n"
        }
    }

    /// A family with a single unlabelled sample.
    public mutating func single(_ name: String, _ help: String, _ kind: Kind, _ value: Double) {
        family(name, help, kind, [([], value)])
    }

    // Escaping and numbers in plain Swift: Foundation's string functions cost the idle timer
    // run most of a millisecond the first time a process calls them.

    static func escapeHelp(_ text: String) -> String { escape(text, quotes: false) }

    static func escapeLabel(_ text: String) -> String { escape(text, quotes: true) }

    /// Backslash and newline (and the double quote in label values) escaped as the text
    /// format asks.
    private static func escape(_ text: String, quotes: Bool) -> String {
        let special = text.utf8.contains { $0 == UInt8(ascii: "\\") || $0 == UInt8(ascii: "\n") || (quotes && $0 == UInt8(ascii: "\"")) }
        guard special else { return text }
        var out = ""
        out.reserveCapacity(text.utf8.count + 8)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\"" where quotes: out += "\\\""
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// Integers without a fraction, others as Swift's shortest exact text (`0.0125`,
    /// `1.5e-07`: the text format takes Go's float syntax); NaN and infinities as Prometheus
    /// writes them.
    static func number(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
        if value == value.rounded() && abs(value) < 1e15 { return String(Int64(value)) }
        return String(value)
    }
}
