/// The remediation attempt budget of one alert key: a state machine over attempt and
/// triage events.
///
/// - `recordAttempt(at:)`: the remediation stage made an attempt (a rejected command, an
///   LLM failure or a failed verification all count).
/// - `evaluate(at:)`: a firing notification reached the budget step of triage; returns
///   `.allow`, `.escalate` or `.silent`.
/// - `reset()`: the alert key resolved; budget and escalation cooldown start again.
///
/// The budget is spent when `limit` attempts fall within the sliding `window`. The first
/// time it is spent, the key escalates; after an escalation the key stays silent for the
/// escalation cooldown (no attempts, no messages), even if the attempt window frees up in
/// the meantime, because a person has been called. When the cooldown has passed, a spent
/// budget escalates again and a free one allows attempts again.
///
/// Only the newest `limit` attempts are kept: that is exactly enough to tell whether
/// `limit` of them fall in the window, so the state stays bounded.
public struct AttemptBudget: Sendable, Equatable, Codable {
    /// The newest attempts, oldest first, at most `AttemptPolicy.limit` of them.
    public private(set) var attempts: [Timestamp]
    /// When the key last escalated, if it has since the last reset.
    public private(set) var lastEscalationAt: Timestamp?

    /// A budget with no attempts and no escalation.
    public init() {
        attempts = []
        lastEscalationAt = nil
    }

    /// Records one remediation attempt.
    /// - Parameters:
    ///   - now: when the attempt was made.
    ///   - policy: limit and window.
    /// - Returns: how many attempts remain within the window after this one (0 when spent).
    @discardableResult
    public mutating func recordAttempt(at now: Timestamp, policy: AttemptPolicy = .standard) -> Int {
        attempts.append(now)
        attempts.sort()
        let keep = max(1, policy.limit)
        if attempts.count > keep { attempts.removeFirst(attempts.count - keep) }
        return remaining(at: now, policy: policy)
    }

    /// How many attempts fall within the window ending at `now`: `(now - window, now]`.
    /// - Parameters:
    ///   - now: the end of the window.
    ///   - policy: the window length.
    public func attemptsInWindow(at now: Timestamp, policy: AttemptPolicy = .standard) -> Int {
        attempts.filter { now.seconds(since: $0) < policy.window && $0 <= now }.count
    }

    /// How many more attempts may be made at `now`.
    /// - Parameters:
    ///   - now: the time to check.
    ///   - policy: limit and window.
    public func remaining(at now: Timestamp, policy: AttemptPolicy = .standard) -> Int {
        max(0, policy.limit - attemptsInWindow(at: now, policy: policy))
    }

    /// True when `limit` attempts fall within the window at `now`.
    /// - Parameters:
    ///   - now: the time to check.
    ///   - policy: limit and window.
    public func isSpent(at now: Timestamp, policy: AttemptPolicy = .standard) -> Bool {
        remaining(at: now, policy: policy) == 0
    }

    /// True while an escalation sent at `lastEscalationAt` keeps the key silent.
    /// - Parameters:
    ///   - now: the time to check.
    ///   - policy: the escalation cooldown.
    public func isCoolingDown(at now: Timestamp, policy: AttemptPolicy = .standard) -> Bool {
        guard let last = lastEscalationAt else { return false }
        return now.seconds(since: last) < policy.escalationCooldown
    }

    /// Decides what a firing notification of this key may do at `now`.
    /// - Parameters:
    ///   - now: when the notification is triaged.
    ///   - policy: limit, window and cooldown.
    /// - Returns: `.silent` during an escalation cooldown; else `.escalate` (remembering the
    ///   time) when the budget is spent; else `.allow` with the attempts left.
    public mutating func evaluate(at now: Timestamp, policy: AttemptPolicy = .standard) -> BudgetAction {
        if isCoolingDown(at: now, policy: policy) { return .silent }
        let left = remaining(at: now, policy: policy)
        guard left == 0 else { return .allow(remaining: left) }
        lastEscalationAt = now
        return .escalate
    }

    /// Forgets every attempt and the escalation cooldown (the alert key resolved).
    public mutating func reset() {
        attempts = []
        lastEscalationAt = nil
    }

    /// True when the budget remembers nothing that still matters at `now`: no attempt in
    /// the window and no escalation cooldown. Such a budget can be dropped from the state.
    /// - Parameters:
    ///   - now: the time to check.
    ///   - policy: window and cooldown.
    public func isIdle(at now: Timestamp, policy: AttemptPolicy = .standard) -> Bool {
        attemptsInWindow(at: now, policy: policy) == 0 && !isCoolingDown(at: now, policy: policy)
    }
}
