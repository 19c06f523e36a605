/// A flapping change to report: an alert key started or stopped flapping.
public struct FlapReport: Sendable, Equatable, Codable {
    /// `alertname/instance` of the key.
    public var alertKey: String
    /// `.startedFlapping` or `.stoppedFlapping`.
    public var verdict: FlapVerdict
    /// The weighted percent state change that caused it.
    public var percentStateChange: Double
    /// When it happened.
    public var at: Timestamp

    /// Creates a report.
    /// - Parameters:
    ///   - alertKey: `alertname/instance`.
    ///   - verdict: `.startedFlapping` or `.stoppedFlapping`.
    ///   - percentStateChange: the percent that crossed the threshold.
    ///   - at: when.
    public init(alertKey: String, verdict: FlapVerdict, percentStateChange: Double, at: Timestamp) {
        self.alertKey = alertKey
        self.verdict = verdict
        self.percentStateChange = percentStateChange
        self.at = at
    }

    /// One line for logs and Discord, e.g. `ContainerDown/vps:nginx started flapping (30.4 % state change)`.
    public var summary: String {
        let percent = (percentStateChange * 10).rounded() / 10
        let what = verdict == .stoppedFlapping ? "stopped flapping" : "started flapping"
        return "\(alertKey) \(what) (\(percent) % state change)"
    }
}
