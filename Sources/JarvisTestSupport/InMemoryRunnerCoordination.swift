import Foundation
import JarvisCore

/// Runners' coordination in memory, for tests of the jobs: the same verdicts as PostgreSQL's
/// (`jarvis_claim_remediation`, `jarvis_reserve_action`), shared by every job given the same
/// instance. Set `unreachable` to make every call fail as an unreachable store does.
public final class InMemoryRunnerCoordination: RunnerCoordination, @unchecked Sendable {
    private let lock = NSLock()
    private var claims: [(request: RemediationClaimRequest, attempt: Int, key: String, at: Date, acted: Date?)] = []
    private var heldHosts: Set<String> = []
    private var heldLocks: Set<String> = []
    private var notifications: [String: String] = [:]
    private var seen: [String: RunnerActivity] = [:]
    public var unreachable = false
    /// How many claims were asked for.
    public private(set) var claimCalls = 0

    public init() {}

    private func check() throws {
        if unreachable { throw StoreFailure(unreachable: true, description: "in-memory store: unreachable") }
    }

    public func claim(_ request: RemediationClaimRequest) throws -> RemediationClaim {
        try lock.withLock {
            try check()
            claimCalls += 1
            let last = claims.last { $0.request.eventKey == request.eventKey }
            if let last,
                last.request.receivedAt > request.receivedAt.adding(seconds: -request.cooldown)
                    || last.at > Date().addingTimeInterval(-request.cooldown)
            {
                return .lost(runner: last.request.runner, attemptKey: last.key)
            }
            let used = claims.filter { $0.request.alertKey == request.alertKey && $0.at > Date().addingTimeInterval(-request.attemptWindow) }.count
            if request.attemptLimit > 0 && used >= request.attemptLimit { return .exhausted(attempts: used) }
            let attempt = (last?.attempt ?? 0) + 1
            let key = RemediationClaimRequest.attemptKey(eventKey: request.eventKey, attempt: attempt)
            claims.append((request, attempt, key, Date(), nil))
            return .won(attemptKey: key)
        }
    }

    public func reserveAction(attemptKey: String, host: String, limit: Int, window: Double) throws -> ActionReservation {
        try lock.withLock {
            try check()
            guard !heldHosts.contains(host) else { return .hostBusy }
            let since = Date().addingTimeInterval(-window)
            guard claims.filter({ ($0.acted ?? .distantPast) > since }).count < limit else { return .overBudget }
            if let index = claims.firstIndex(where: { $0.key == attemptKey }) { claims[index].acted = Date() }
            heldHosts.insert(host)
            return .reserved
        }
    }

    public func claimApproval(_ request: ApprovalClaimRequest) throws -> ApprovalClaim {
        try lock.withLock {
            try check()
            let occurrence = claims.filter { $0.request.eventKey == request.eventKey }
            if let acted = occurrence.last(where: { $0.key != request.attemptKey && $0.acted != nil }) {
                return .actedOn(runner: acted.request.runner, attemptKey: acted.key)
            }
            if let held = occurrence.first(where: { $0.key == request.attemptKey }) {
                return held.request.runner == request.runner ? .mine : .claimedBy(runner: held.request.runner)
            }
            let claim = RemediationClaimRequest(
                eventKey: request.eventKey, occurrenceKey: "", alertKey: request.alertKey, alertname: "", host: request.host, runner: request.runner,
                receivedAt: Timestamp(epochSeconds: Date().timeIntervalSince1970), cooldown: 0, attemptLimit: 0, attemptWindow: 0)
            claims.append((claim, request.attempt, request.attemptKey, Date(), nil))
            return .mine
        }
    }

    public func releaseHost(_ host: String) { _ = lock.withLock { heldHosts.remove(host) } }

    public func acquireLock(_ name: String, timeout: Double) throws -> Bool {
        try lock.withLock {
            try check()
            return heldLocks.insert(name).inserted
        }
    }

    public func releaseLock(_ name: String) { _ = lock.withLock { heldLocks.remove(name) } }

    public func sharedWindows() throws -> [SharedMaintenanceWindow] {
        try lock.withLock {
            try check()
            return []
        }
    }

    public func latestHostTransitions() throws -> [HostTransition] {
        try lock.withLock {
            try check()
            return []
        }
    }

    public func claimNotification(dedupKey: String, runner: String, expiresAfter: Double?) throws -> String {
        try lock.withLock {
            try check()
            if let holder = notifications[dedupKey] { return holder }
            notifications[dedupKey] = runner
            return runner
        }
    }

    public func recordRun(_ activity: RunnerActivity) throws {
        try lock.withLock {
            try check()
            seen[activity.runner] = activity
        }
    }

    public func runners(seenWithin seconds: Double) throws -> [RunnerActivity] {
        try lock.withLock {
            try check()
            return seen.values.sorted { $0.runner < $1.runner }
        }
    }
}
