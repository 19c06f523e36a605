/// The remediation attempt budget of one alert key and its escalation cooldown.
///
/// Defaults (docs/behaviour.md, "Attempt budget"): at most 3 attempts per alert key in 2 h; when the budget is
/// spent, escalate once and stay silent for 4 h.
public struct AttemptPolicy: Sendable, Equatable {
    /// Attempts allowed per alert key within `window` [3].
    public var limit: Int
    /// The sliding window attempts are counted in, in seconds [7200].
    public var window: Double
    /// After an escalation the alert key stays silent this long, in seconds [14400].
    public var escalationCooldown: Double

    /// Creates a policy; the defaults are the spec's.
    /// - Parameters:
    ///   - limit: attempts allowed within `window`.
    ///   - window: sliding window in seconds.
    ///   - escalationCooldown: silence after an escalation, in seconds.
    public init(limit: Int = 3, window: Double = 7200, escalationCooldown: Double = 14_400) {
        self.limit = limit
        self.window = window
        self.escalationCooldown = escalationCooldown
    }
}
