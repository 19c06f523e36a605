/// The port through which several runners sharing one store of record (PostgreSQL)
/// coordinate: who acts on an alert, the hourly action budget and one action per host across
/// machines, the maintenance windows and host states every runner must see, which runner
/// sends a notification, and which runners are alive.
///
/// Every method is one round trip to the store. They throw `StoreFailure` when the store
/// cannot answer (`unreachable`: try again later) or refuses (a schema that is too old).
public protocol RunnerCoordination: AnyObject {
    /// Claims the next attempt at an alert occurrence for this runner, and writes the
    /// attempt's intent row, in one transaction. A runner that loses does nothing.
    func claim(_ request: RemediationClaimRequest) throws -> RemediationClaim

    /// Reserves one action of the shared hourly budget for a claimed attempt and takes the
    /// host's lock (one action per host at a time, across runners) until `releaseHost`.
    func reserveAction(attemptKey: String, host: String, limit: Int, window: Double) throws -> ActionReservation

    /// Releases the host lock `reserveAction` took.
    func releaseHost(_ host: String)

    /// Makes sure `runner` may run an attempt a person approved (`jarvis approve`): the attempt
    /// is claimed for it (its claim from the run that parked it, or one made now) and no
    /// runner acted on the same occurrence meanwhile.
    func claimApproval(_ request: ApprovalClaimRequest) throws -> ApprovalClaim

    /// Takes the lock called `name` shared by all runners (e.g. one probe-hosts run at a
    /// time), waiting at most `timeout` seconds. - Returns: false when it is still held.
    func acquireLock(_ name: String, timeout: Double) throws -> Bool

    /// Releases a lock `acquireLock` took.
    func releaseLock(_ name: String)

    /// The maintenance windows every runner has opened that are open or ended recently.
    func sharedWindows() throws -> [SharedMaintenanceWindow]

    /// The newest recorded availability transition of each host.
    func latestHostTransitions() throws -> [HostTransition]

    /// Claims the sending of one notification (by its dedup key) for `runner`; a claim older
    /// than `expiresAfter` seconds (nil: never) may be taken over.
    /// - Returns: the runner that holds the claim (`runner` when this one won it).
    func claimNotification(dedupKey: String, runner: String, expiresAfter: Double?) throws -> String

    /// Claims the summarising of suppressed alerts (by key) for `runner`, all in one round
    /// trip; a claim older than `expiresAfter` seconds may be taken over.
    /// - Returns: The keys this runner won.
    func claimNotifications(dedupKeys: [String], runner: String, expiresAfter: Double?) throws -> Set<String>

    /// Records that `runner` finished a run of `command`, for `jarvis status`.
    func recordRun(_ activity: RunnerActivity) throws

    /// The runners seen within `seconds`, most recent first.
    func runners(seenWithin seconds: Double) throws -> [RunnerActivity]
}

extension RunnerCoordination {
    /// One claim per key (stores that cannot claim many keys in one round trip).
    public func claimNotifications(dedupKeys: [String], runner: String, expiresAfter: Double?) throws -> Set<String> {
        Set(try dedupKeys.filter { try claimNotification(dedupKey: $0, runner: runner, expiresAfter: expiresAfter) == runner })
    }
}

/// What a runner wants to claim: the next attempt at one alert occurrence.
public struct RemediationClaimRequest: Sendable, Equatable {
    /// The key of the occurrence and status (`fingerprint@startsAt/firing`).
    public var eventKey: String
    /// The occurrence (`fingerprint@startsAt`).
    public var occurrenceKey: String
    public var alertKey: String
    public var alertname: String
    public var host: String
    /// The claiming runner.
    public var runner: String
    /// When the notification that made the alert actionable arrived at this runner.
    public var receivedAt: Timestamp
    /// A claim of the same occurrence for a notification received, or made, less than this
    /// many seconds before is the same attempt: the claim is lost to it.
    public var cooldown: Double
    /// Attempts per alert key allowed within `attemptWindow` across all runners (0: no limit).
    public var attemptLimit: Int
    public var attemptWindow: Double

    public init(
        eventKey: String, occurrenceKey: String, alertKey: String, alertname: String, host: String, runner: String, receivedAt: Timestamp,
        cooldown: Double, attemptLimit: Int, attemptWindow: Double
    ) {
        self.eventKey = eventKey
        self.occurrenceKey = occurrenceKey
        self.alertKey = alertKey
        self.alertname = alertname
        self.host = host
        self.runner = runner
        self.receivedAt = receivedAt
        self.cooldown = cooldown
        self.attemptLimit = attemptLimit
        self.attemptWindow = attemptWindow
    }

    /// `remediation/<event key>#<attempt>`: the attempt's key, the same on every runner.
    public static func attemptKey(eventKey: String, attempt: Int) -> String { "remediation/\(eventKey)#\(attempt)" }
}

/// How a claim ended.
public enum RemediationClaim: Sendable, Equatable {
    /// This runner holds the attempt; its intent row is written under `attemptKey`.
    case won(attemptKey: String)
    /// Another runner (or this one, in an earlier run) holds it.
    case lost(runner: String, attemptKey: String)
    /// The alert key's attempt budget is spent across runners.
    case exhausted(attempts: Int)
}

/// A parked attempt a person approved, to claim before it runs.
public struct ApprovalClaimRequest: Sendable, Equatable {
    /// The attempt's key (`remediation/<event key>#<n>`).
    public var attemptKey: String
    /// The firing notification's key (`fingerprint@startsAt/firing`).
    public var eventKey: String
    public var alertKey: String
    public var host: String
    public var runner: String

    public init(attemptKey: String, eventKey: String, alertKey: String, host: String, runner: String) {
        self.attemptKey = attemptKey
        self.eventKey = eventKey
        self.alertKey = alertKey
        self.host = host
        self.runner = runner
    }

    /// The attempt's number (`n` in its key; 1 when it has none).
    public var attempt: Int { attemptKey.split(separator: "#").last.flatMap { Int($0) } ?? 1 }
}

/// Whether an approved attempt may run.
public enum ApprovalClaim: Sendable, Equatable {
    /// This runner holds the attempt, and nobody acted on the occurrence meanwhile.
    case mine
    /// Another attempt at the same occurrence ran commands already, on `runner`.
    case actedOn(runner: String, attemptKey: String)
    /// Another runner holds this attempt.
    case claimedBy(runner: String)
}

/// How a reservation of the shared action budget ended.
public enum ActionReservation: String, Sendable, Equatable {
    case reserved
    /// Another runner is acting on the host now.
    case hostBusy = "host-busy"
    /// The hourly budget is spent across runners.
    case overBudget = "over-budget"
}

/// A maintenance window as the shared store holds it.
public struct SharedMaintenanceWindow: Sendable, Equatable {
    /// `runner/maintenance/ID`: unique across runners.
    public var key: String
    public var host: String?
    public var reason: String
    public var author: String
    public var startsAt: Timestamp
    public var endsAt: Timestamp?
    public var endedAt: Timestamp?
    /// When this snapshot was taken; a newer one wins.
    public var updatedAt: Timestamp?

    public init(
        key: String, host: String?, reason: String, author: String, startsAt: Timestamp, endsAt: Timestamp?, endedAt: Timestamp?,
        updatedAt: Timestamp?
    ) {
        self.key = key
        self.host = host
        self.reason = reason
        self.author = author
        self.startsAt = startsAt
        self.endsAt = endsAt
        self.endedAt = endedAt
        self.updatedAt = updatedAt
    }
}

/// What a runner last did.
public struct RunnerActivity: Sendable, Equatable {
    public var runner: String
    public var command: String
    /// ok, degraded or failed.
    public var result: String
    /// The first line of the run's summary.
    public var summary: String
    public var at: Timestamp

    public init(runner: String, command: String, result: String, summary: String, at: Timestamp) {
        self.runner = runner
        self.command = command
        self.result = result
        self.summary = summary
        self.at = at
    }
}
