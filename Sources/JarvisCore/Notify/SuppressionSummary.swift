/// Counts of alerts that were suppressed instead of acted on, for one message instead of one
/// per alert: one run's suppressions, or those that happened while a host was offline.
public struct SuppressionSummary: Sendable, Equatable, Codable {
    /// Alerts counted.
    public private(set) var total = 0
    /// Of those, `severity=critical`.
    public private(set) var critical = 0
    /// Of those, `severity=warning`.
    public private(set) var warning = 0
    /// Alerts per alert name.
    public private(set) var byAlertname: [String: Int] = [:]
    /// Alerts per reason (`maintenance`, `host offline`, `cascade`, …).
    public private(set) var byReason: [String: Int] = [:]
    /// The earliest and latest suppression counted.
    public private(set) var first: Timestamp?
    public private(set) var last: Timestamp?

    /// An empty summary.
    public init() {}

    /// Counts one suppressed alert.
    /// - Parameters:
    ///   - alertname: The alert's name.
    ///   - severity: Its `severity` label, if any.
    ///   - reason: Why it was suppressed, e.g. `maintenance`.
    ///   - at: When.
    public mutating func add(alertname: String, severity: String?, reason: String, at: Timestamp) {
        total += 1
        switch severity?.lowercased() {
        case "critical": critical += 1
        case "warning": warning += 1
        default: break
        }
        byAlertname[alertname.isEmpty ? "(no alertname)" : alertname, default: 0] += 1
        byReason[reason, default: 0] += 1
        first = first.map { min($0, at) } ?? at
        last = last.map { max($0, at) } ?? at
    }

    /// Counts `outcome` when triage suppressed it (maintenance, host offline or cascade);
    /// other decisions are ignored.
    /// - Parameters:
    ///   - outcome: One triage outcome.
    ///   - severity: The alert's `severity` label.
    ///   - at: When it was triaged.
    public mutating func add(_ outcome: TriageOutcome, severity: String?, at: Timestamp) {
        let reason: String
        switch outcome.decision {
        case .suppressedMaintenance: reason = "maintenance"
        case .suppressedHostOffline: reason = "host offline"
        case .suppressedCascade: reason = "cascade"
        default: return
        }
        add(alertname: outcome.alertKey.alertname, severity: severity, reason: reason, at: at)
    }

    /// Adds another summary's counts (the stored summary of a host and this run's).
    public mutating func merge(_ other: SuppressionSummary) {
        total += other.total
        critical += other.critical
        warning += other.warning
        for (name, count) in other.byAlertname { byAlertname[name, default: 0] += count }
        for (reason, count) in other.byReason { byReason[reason, default: 0] += count }
        if let time = other.first { first = first.map { min($0, time) } ?? time }
        if let time = other.last { last = last.map { max($0, time) } ?? time }
    }

    /// Alerts that are neither critical nor warning.
    public var other: Int { total - critical - warning }

    /// Seconds from the first suppression to the last; nil when none was counted.
    public var durationSeconds: Double? {
        guard let first, let last else { return nil }
        return last.seconds(since: first)
    }

    /// `12 (3 critical, 8 warning, 1 other)`.
    public var countsLine: String {
        var parts: [String] = []
        if critical > 0 { parts.append("\(critical) critical") }
        if warning > 0 { parts.append("\(warning) warning") }
        if other > 0 { parts.append("\(other) other") }
        return parts.isEmpty ? "\(total)" : "\(total) (\(parts.joined(separator: ", ")))"
    }

    /// `ContainerDown ×12, DiskFull ×3`, most frequent first (ties by name), at most `limit`
    /// names and then `… and 4 more`.
    /// - Parameter limit: Names to list.
    public func alertNamesLine(limit: Int = 15) -> String {
        Self.countedList(byAlertname, limit: limit)
    }

    /// `maintenance ×3, cascade ×1`, most frequent first.
    public var reasonsLine: String { Self.countedList(byReason, limit: 10) }

    static func countedList(_ counts: [String: Int], limit: Int) -> String {
        let sorted = counts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
        var line = sorted.prefix(limit).map { $0.value == 1 ? $0.key : "\($0.key) ×\($0.value)" }.joined(separator: ", ")
        if sorted.count > limit { line += " … and \(sorted.count - limit) more" }
        return line
    }
}
