/// Availability of one host: ONLINE, OFFLINE or CHECKING, in the event-in, transition-out style.
///
/// Each event method updates the status and returns the `HostTransition` it caused, or nil
/// when the state did not change. The job writes each transition to `host_status_log`,
/// notifies, and persists `status`, so the next process carries on from it.
///
/// Rules:
/// - ONLINE becomes OFFLINE after `Thresholds.offlineAfterFailures` consecutive failed attempts;
/// - OFFLINE is probed only when `Thresholds.recheckInterval` has passed since it was last checked;
///   a probe it answers makes it CHECKING;
/// - a CHECKING host that fails goes back to OFFLINE at once;
/// - a success from any state makes it ONLINE and resets the failure count.
public struct HostStateMachine: Sendable, Equatable {
    /// The numbers the rules use.
    public struct Thresholds: Sendable, Codable, Equatable, Hashable {
        /// Consecutive failed attempts that make an ONLINE host OFFLINE (default 3).
        public var offlineAfterFailures: Int
        /// Seconds between two checks of an OFFLINE host (default 300).
        public var recheckInterval: Double

        /// Creates thresholds.
        ///
        /// - Parameters:
        ///   - offlineAfterFailures: Failures in a row before OFFLINE (at least 1).
        ///   - recheckInterval: Seconds between checks of an OFFLINE host.
        public init(offlineAfterFailures: Int = 3, recheckInterval: Double = 300) {
            self.offlineAfterFailures = max(1, offlineAfterFailures)
            self.recheckInterval = recheckInterval
        }
    }

    /// The persisted record; store it after every event.
    public private(set) var status: HostStatus
    /// The numbers the rules use.
    public let thresholds: Thresholds

    /// Resumes a host from its persisted status.
    ///
    /// - Parameters:
    ///   - status: The status saved by the previous process (or a fresh `HostStatus(host:)`).
    ///   - thresholds: The numbers the rules use.
    public init(status: HostStatus, thresholds: Thresholds = Thresholds()) {
        self.status = status
        self.thresholds = thresholds
    }

    /// Starts a host jarvis has never seen: ONLINE, no history.
    ///
    /// - Parameters:
    ///   - host: Host name.
    ///   - thresholds: The numbers the rules use.
    public init(host: String, thresholds: Thresholds = Thresholds()) {
        self.init(status: HostStatus(host: host), thresholds: thresholds)
    }

    /// The current state.
    public var state: HostState { status.state }

    /// One logical attempt (connection, session or probe) failed.
    ///
    /// - Parameters:
    ///   - at: When it failed.
    ///   - error: What failed, safe to log.
    /// - Returns: ONLINE→OFFLINE on reaching the threshold, CHECKING→OFFLINE at once; nil otherwise.
    public mutating func attemptFailed(at: Timestamp, error: String) -> HostTransition? {
        status.consecutiveFailures += 1
        status.lastError = error
        status.lastCheckedAt = at
        switch status.state {
        case .online where status.consecutiveFailures >= thresholds.offlineAfterFailures, .checking:
            return move(to: .offline, at: at, error: error)
        case .online, .offline:
            return nil
        }
    }

    /// One logical attempt succeeded: an SSH session was established (or a local command ran).
    ///
    /// - Parameter at: When it succeeded.
    /// - Returns: OFFLINE or CHECKING → ONLINE; nil when already ONLINE.
    public mutating func attemptSucceeded(at: Timestamp) -> HostTransition? {
        status.consecutiveFailures = 0
        status.lastError = nil
        status.lastSuccessAt = at
        status.lastCheckedAt = at
        guard status.state != .online else { return nil }
        return move(to: .online, at: at, error: nil)
    }

    /// The host answered a probe (TCP connect and SSH banner).
    ///
    /// A probe proves the port answers, not that a session works, so it neither resets the
    /// failure count nor makes the host ONLINE.
    ///
    /// - Parameter at: When it answered.
    /// - Returns: OFFLINE → CHECKING; nil in other states.
    public mutating func probeAnswered(at: Timestamp) -> HostTransition? {
        status.lastCheckedAt = at
        guard status.state == .offline else { return nil }
        return move(to: .checking, at: at, error: nil)
    }

    /// A probe got no answer; counts as one failed attempt.
    ///
    /// - Parameters:
    ///   - at: When it failed.
    ///   - error: What failed.
    /// - Returns: As `attemptFailed(at:error:)`.
    public mutating func probeFailed(at: Timestamp, error: String) -> HostTransition? {
        attemptFailed(at: at, error: error)
    }

    /// Feeds the outcome an executor reported.
    ///
    /// - Parameters:
    ///   - outcome: The outcome of one logical attempt.
    ///   - at: When it ended.
    /// - Returns: The transition it caused, if any.
    public mutating func record(_ outcome: HostAttemptOutcome, at: Timestamp) -> HostTransition? {
        switch outcome {
        case .succeeded: return attemptSucceeded(at: at)
        case .failed(let error): return attemptFailed(at: at, error: error)
        }
    }

    /// Whether `probe-hosts` should probe the host now: always for ONLINE and CHECKING hosts;
    /// for an OFFLINE host only once `recheckInterval` has passed since it was last checked.
    ///
    /// - Parameter at: Now.
    public func shouldProbe(at: Timestamp) -> Bool {
        guard status.state == .offline, let last = status.lastCheckedAt else { return true }
        return at.seconds(since: last) >= thresholds.recheckInterval
    }

    private mutating func move(to next: HostState, at: Timestamp, error: String?) -> HostTransition {
        let transition = HostTransition(
            host: status.host, from: status.state, to: next, at: at, error: error,
            consecutiveFailures: status.consecutiveFailures, lastSuccessAt: status.lastSuccessAt)
        status.state = next
        status.since = at
        return transition
    }
}
