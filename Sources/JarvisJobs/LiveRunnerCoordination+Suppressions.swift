import JarvisCore
import JarvisPostgres

/// The suppressed alerts a runner summarises, claimed in one round trip.
extension LiveRunnerCoordination {
    public func claimNotifications(dedupKeys: [String], runner: String, expiresAfter: Double?) throws -> Set<String> {
        try call { try $0.claimNotifications(dedupKeys: dedupKeys, runner: runner, expiresAfter: expiresAfter) }
    }
}
