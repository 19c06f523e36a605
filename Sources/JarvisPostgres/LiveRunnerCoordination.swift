import Foundation
public import JarvisCore

/// `RunnerCoordination` over one PostgreSQL connection, opened on first use and kept for
/// the run (a claim is then one round trip). Once PostgreSQL was found unreachable the run
/// does not wait for it again: every later call fails at once with the same failure.
public final class LiveRunnerCoordination: RunnerCoordination {
    private let settings: PostgresSettings
    private var store: PostgresStore?
    private var failure: StoreFailure?

    /// - Parameter settings: How to reach PostgreSQL.
    public init(settings: PostgresSettings) { self.settings = settings }

    /// True once a connection was opened (a run that never needed one records nothing).
    public var isOpen: Bool { store != nil }

    func call<T>(_ body: (PostgresStore) throws -> T) throws -> T {
        if let failure { throw failure }
        do {
            let store = try self.store ?? PostgresStore.connect(url: settings.url?.value, connectTimeoutSeconds: settings.connectTimeout)
            self.store = store
            return try body(store)
        } catch {
            let mapped = StoreFailure(postgres: error, store: store)
            if mapped.unreachable { failure = mapped }
            throw mapped
        }
    }

    public func claim(_ request: RemediationClaimRequest) throws -> RemediationClaim { try call { try $0.claimRemediation(request) } }

    public func reserveAction(attemptKey: String, host: String, limit: Int, window: Double) throws -> ActionReservation {
        try call { try $0.reserveAction(attemptKey: attemptKey, host: host, limit: limit, window: window) }
    }

    public func releaseHost(_ host: String) { store?.releaseHost(host) }

    public func acquireLock(_ name: String, timeout: Double) throws -> Bool {
        let deadline = ContinuousClock.now + .seconds(timeout)
        while true {
            if try call({ try $0.tryLock(name) }) { return true }
            guard ContinuousClock.now < deadline else { return false }
            Thread.sleep(forTimeInterval: 0.2)
        }
    }

    public func releaseLock(_ name: String) { store?.releaseLock(name) }

    public func sharedWindows() throws -> [SharedMaintenanceWindow] { try call { try $0.sharedWindows() } }

    public func latestHostTransitions() throws -> [HostTransition] { try call { try $0.latestHostTransitions() } }

    public func claimNotification(dedupKey: String, runner: String, expiresAfter: Double?) throws -> String {
        try call { try $0.claimNotification(dedupKey: dedupKey, runner: runner, expiresAfter: expiresAfter) }
    }

    public func recordRun(_ activity: RunnerActivity) throws { try call { try $0.recordRun(activity) } }

    public func runners(seenWithin seconds: Double) throws -> [RunnerActivity] { try call { try $0.runners(seenWithin: seconds) } }
}
