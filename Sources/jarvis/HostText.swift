import Foundation
import JarvisCore

/// Small text helpers shared by the host commands.
enum HostText {
    /// `10.0.0.5:22`, `[::1]:2222`, or `local`.
    static func endpoint(_ host: HostDefinition) -> String {
        if host.local { return "local" }
        return host.address.contains(":") ? "[\(host.address)]:\(host.port)" : "\(host.address):\(host.port)"
    }

    /// Left-aligned columns separated by two spaces; the last column is not padded.
    static func table(_ rows: [[String]]) -> [String] {
        guard let columns = rows.map(\.count).max() else { return [] }
        var widths = [Int](repeating: 0, count: columns)
        for row in rows {
            for (index, cell) in row.enumerated() where index < columns - 1 { widths[index] = max(widths[index], cell.count) }
        }
        return rows.map { row in
            row.enumerated().map { index, cell in
                index < row.count - 1 ? cell.padding(toLength: widths[index], withPad: " ", startingAt: 0) : cell
            }.joined(separator: "  ").trimmingCharacters(in: .whitespaces)
        }
    }

    /// `0.52s`, `12ms`.
    static func duration(_ duration: Duration) -> String {
        let milliseconds = duration.milliseconds
        return milliseconds < 1000 ? "\(milliseconds)ms" : String(format: "%.2fs", Double(milliseconds) / 1000)
    }

    /// `300s`, `1.5s`.
    static func seconds(_ seconds: Double) -> String {
        seconds == seconds.rounded() ? "\(Int(seconds))s" : "\(seconds)s"
    }
}

extension Duration {
    /// Whole milliseconds.
    var milliseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1000 + attoseconds / 1_000_000_000_000_000
    }
}
