import Foundation

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

    static func escapeHelp(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\n", with: "\\n")
    }

    static func escapeLabel(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"").replacingOccurrences(of: "\n", with: "\\n")
    }

    /// Integers without a fraction, others with up to 6 decimals; NaN and infinities as
    /// Prometheus writes them.
    static func number(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
        return ReportFormat.json(value)
    }
}
