import Foundation

/// How report figures are written for people and for JSON.
enum ReportFormat {
    /// `3d 4h`, `2h 05m`, `4m 10s`, `12s`.
    static func duration(_ seconds: Double?) -> String {
        guard let seconds, seconds.isFinite else { return "—" }
        let total = Int(seconds.rounded())
        let days = total / 86_400
        let hours = total % 86_400 / 3_600
        let minutes = total % 3_600 / 60
        let secs = total % 60
        if days > 0 { return "\(days)d \(hours)h" }
        if hours > 0 { return "\(hours)h " + String(format: "%02dm", minutes) }
        if minutes > 0 { return "\(minutes)m " + String(format: "%02ds", secs) }
        return "\(secs)s"
    }

    /// `92.3 %`, or `—` when there is nothing to divide.
    static func percent(_ ratio: Double?) -> String {
        guard let ratio, ratio.isFinite else { return "—" }
        return String(format: "%.1f %%", ratio * 100)
    }

    /// `$1.23`, with four decimals below a cent.
    static func usd(_ value: Double) -> String {
        value != 0 && abs(value) < 0.01 ? String(format: "$%.4f", value) : String(format: "$%.2f", value)
    }

    /// `12,345`.
    static func count(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var out = ""
        for (index, character) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { out.append(",") }
            out.append(character)
        }
        return (value < 0 ? "-" : "") + out
    }

    /// A JSON number (up to 6 decimals, no exponent), or `null` for nil and non-finite values.
    static func json(_ value: Double?) -> String {
        guard let value, value.isFinite else { return "null" }
        if value == value.rounded() && abs(value) < 1e15 { return String(Int64(value)) }
        var text = String(format: "%.6f", value)
        while text.hasSuffix("0") { text.removeLast() }
        return text
    }

    /// A JSON string literal.
    static func json(_ text: String?) -> String {
        guard let text else { return "null" }
        var out = ""
        JSONWriter.appendQuoted(text, to: &out)
        return out
    }

    /// A JSON object from key/raw-JSON pairs, in order.
    static func object(_ members: [(String, String)]) -> String {
        "{" + members.map { json($0.0) + ":" + $0.1 }.joined(separator: ",") + "}"
    }

    /// A JSON array of raw-JSON values.
    static func array(_ items: [String]) -> String { "[" + items.joined(separator: ",") + "]" }
}
