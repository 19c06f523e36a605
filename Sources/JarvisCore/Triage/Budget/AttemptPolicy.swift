/// The remediation attempt budget of one alert key and its escalation cooldown.
///
/// Defaults (docs/behaviour.md, "Attempt budget"): at most 3 attempts per alert key in 2 h; when the budget is
/// spent, escalate once and stay silent for 4 h.
public struct AttemptPolicy: Sendable, Equatable {
    /// Attempts allowed per alert key within `window` [3].
    public var limit = 3
    /// The sliding window attempts are counted in, in seconds [7200].
    public var window: Double = 7200
    /// After an escalation the alert key stays silent this long, in seconds [14400].
    public var escalationCooldown: Double = 14_400

    /// The default policy (the figures above); others come from the configuration.
    public static let standard = AttemptPolicy()
}
