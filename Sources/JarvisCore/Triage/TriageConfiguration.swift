/// The numbers triage runs on. Every default is the one docs/behaviour.md gives, except the two
/// retention bounds, which are jarvis' own limits on how long idle state is remembered.
public struct TriageConfiguration: Sendable, Equatable {
    /// The same occurrence and status is not processed again within this many seconds [300].
    public var dedupCooldown: Double
    /// A root cause stops suppressing this many seconds after its last firing notification
    /// [3600], so a lost "resolved" can never suppress forever.
    public var rootCauseTTL: Double
    /// Flap detection window and thresholds [20 states, high 30 %, low 25 %].
    public var flapping: FlapThresholds
    /// Attempt budget and escalation cooldown [3 per alert key per 7200 s; 14400 s].
    public var attempts: AttemptPolicy
    /// An open (firing) occurrence or a parked alert with no firing notification for this
    /// many seconds is forgotten [604800, 7 days], so lost "resolved" notifications do not
    /// grow the state.
    public var occurrenceRetention: Double
    /// The state history of an alert key with no notification for this many seconds is
    /// forgotten [86400, 1 day]; it starts again from zero.
    public var flapHistoryRetention: Double

    /// Creates a configuration; every default is documented on its property.
    /// - Parameters:
    ///   - dedupCooldown: seconds an occurrence and status counts as already processed.
    ///   - rootCauseTTL: seconds a root cause lives past its last firing notification.
    ///   - flapping: flap window and thresholds.
    ///   - attempts: attempt budget and escalation cooldown.
    ///   - occurrenceRetention: seconds an idle open occurrence or parked alert is kept.
    ///   - flapHistoryRetention: seconds an idle flap history is kept.
    public init(
        dedupCooldown: Double = 300, rootCauseTTL: Double = 3600, flapping: FlapThresholds = .standard,
        attempts: AttemptPolicy = .standard, occurrenceRetention: Double = 604_800, flapHistoryRetention: Double = 86_400
    ) {
        self.dedupCooldown = dedupCooldown
        self.rootCauseTTL = rootCauseTTL
        self.flapping = flapping
        self.attempts = attempts
        self.occurrenceRetention = occurrenceRetention
        self.flapHistoryRetention = flapHistoryRetention
    }

    /// Every setting that cannot work, one line each; empty when the configuration is usable.
    public var problems: [String] {
        var out: [String] = []
        if dedupCooldown < 0 { out.append("triage.dedupCooldown must not be negative (got \(dedupCooldown))") }
        if rootCauseTTL <= 0 { out.append("triage.rootCauseTTL must be positive (got \(rootCauseTTL))") }
        if flapping.window < 2 { out.append("triage.flapping.window must be at least 2 states (got \(flapping.window))") }
        if flapping.low > flapping.high {
            out.append("triage.flapping.low (\(flapping.low)) must not be above triage.flapping.high (\(flapping.high))")
        }
        if attempts.limit < 1 { out.append("triage.attempts.limit must be at least 1 (got \(attempts.limit))") }
        if attempts.window <= 0 { out.append("triage.attempts.window must be positive (got \(attempts.window))") }
        if attempts.escalationCooldown < 0 {
            out.append("triage.attempts.escalationCooldown must not be negative (got \(attempts.escalationCooldown))")
        }
        if occurrenceRetention <= 0 { out.append("triage.occurrenceRetention must be positive (got \(occurrenceRetention))") }
        if flapHistoryRetention <= 0 { out.append("triage.flapHistoryRetention must be positive (got \(flapHistoryRetention))") }
        return out
    }
}
