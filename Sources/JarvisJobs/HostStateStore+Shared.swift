import JarvisCore

extension HostStateStore {
    /// Takes over host states other runners recorded: for each host whose newest shared
    /// transition is newer than its local state and leads elsewhere, the local status
    /// becomes that transition's result (and it joins the history). Nothing is journaled:
    /// the rows are PostgreSQL's already. A host this runner saw change later keeps its state.
    ///
    /// - Parameters:
    ///   - transitions: The newest transition of each host, from PostgreSQL.
    ///   - now: Written as the update time.
    /// - Returns: The transitions taken over.
    /// - Throws: `JournalError`.
    @discardableResult
    public func adopt(_ transitions: [HostTransition], now: Timestamp) throws -> [HostTransition] {
        var adopted: [HostTransition] = []
        guard !transitions.isEmpty else { return adopted }
        try journal.updateState(HostStateStore.documentName, now: now) { stored in
            adopted = []
            var document = try HostStateStore.decode(stored)
            for transition in transitions {
                let local = document.status(of: transition.host)
                guard local.state != transition.to, local.since.map({ transition.at > $0 }) ?? true else { continue }
                document.hosts[transition.host] = HostStatus(
                    host: transition.host, state: transition.to, since: transition.at, consecutiveFailures: transition.consecutiveFailures,
                    lastSuccessAt: transition.lastSuccessAt, lastError: transition.error, lastCheckedAt: local.lastCheckedAt)
                adopted.append(transition)
            }
            guard !adopted.isEmpty else { return JournalStateChange(json: nil) }
            document.appendHistory(adopted)
            return JournalStateChange(json: try HostStateStore.encode(document))
        }
        return adopted
    }
}
