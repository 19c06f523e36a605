import JarvisCore

/// The state every runner sharing one PostgreSQL must see, copied into the local journal at
/// the start of a run: maintenance windows opened on any runner, and host states recorded by
/// any runner. While PostgreSQL is away the local copy is used as it is.
public enum SharedState {
    /// Refreshes the local copy.
    /// - Returns: nil, or a one-line warning when PostgreSQL could not be asked.
    public static func refresh(
        from coordination: any RunnerCoordination, journal: any TriageJournal, configuration: JarvisConfiguration, now: Timestamp
    ) -> String? {
        do {
            try journal.mergeSharedWindows(try coordination.sharedWindows(), runner: configuration.runner, now: now)
            try HostStateStore(journal: journal, journalRows: false, runner: configuration.runner).adopt(
                try coordination.latestHostTransitions(), now: now)
            return nil
        } catch {
            return "the shared windows and host states were not refreshed (\(oneLine(error))); the local copy is used"
        }
    }

    /// The first line of an error's description (libpq's messages run over several).
    public static func oneLine(_ error: any Error) -> String {
        String(String(describing: error).split(separator: "\n", omittingEmptySubsequences: true).first ?? "")
    }
}
