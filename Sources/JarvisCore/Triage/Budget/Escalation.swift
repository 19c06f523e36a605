/// An escalation to send: an alert key spent its attempt budget.
public struct Escalation: Sendable, Equatable, Codable {
    /// `alertname/instance` of the key.
    public var alertKey: String
    /// The alert's name.
    public var alertname: String
    /// The occurrence that triggered it, `fingerprint@startsAt`.
    public var occurrence: String
    /// True when the alert's `severity` label is `critical`: only then is `@here` used.
    public var critical: Bool
    /// Attempts counted within the window when it escalated.
    public var attempts: Int
    /// The window those attempts were counted in, in seconds.
    public var windowSeconds: Double
    /// When it escalated.
    public var at: Timestamp

    /// Creates an escalation.
    /// - Parameters:
    ///   - alertKey: `alertname/instance`.
    ///   - alertname: the alert's name.
    ///   - occurrence: `fingerprint@startsAt`.
    ///   - critical: whether the alert is critical.
    ///   - attempts: attempts within the window.
    ///   - windowSeconds: the window in seconds.
    ///   - at: when.
    public init(
        alertKey: String, alertname: String, occurrence: String, critical: Bool, attempts: Int, windowSeconds: Double,
        at: Timestamp
    ) {
        self.alertKey = alertKey
        self.alertname = alertname
        self.occurrence = occurrence
        self.critical = critical
        self.attempts = attempts
        self.windowSeconds = windowSeconds
        self.at = at
    }

    /// Whether the message may mention `@here`: for critical alerts only.
    public var mentionsHere: Bool { critical }

    /// One line for logs and Discord, e.g. `ContainerDown/vps:nginx: 3 attempts in 2h failed; needs a person`.
    public var summary: String {
        "\(alertKey): \(attempts) attempts in \(DurationParser.format(seconds: windowSeconds)) failed; needs a person"
    }

    /// True when `labels` carry `severity=critical` (case-insensitive).
    /// - Parameter labels: alert labels.
    public static func isCritical(_ labels: [String: String]) -> Bool {
        labels["severity"]?.lowercased() == "critical"
    }
}
