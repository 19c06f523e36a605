import JarvisCore

/// The failure memory across runners: a command set that failed for an alert key on any
/// runner counts against it here.
extension RemediationStage {
    /// The command sets that failed for `alertKey`: this runner's (its journal) and, with
    /// PostgreSQL configured, every other runner's, asked in one round trip. With PostgreSQL
    /// away, this runner's alone.
    func failedCommandSets(alertKey: String) throws -> [FailedCommandSet] {
        let own = try journal.failedCommandSets(alertKey: alertKey)
        guard let learning, let others = try? learning.failedCommandLists(alertKey: alertKey, otherThan: configuration.runner) else { return own }
        return FailedCommandSet.combined(own, FailedCommandSet.tally(others))
    }
}
