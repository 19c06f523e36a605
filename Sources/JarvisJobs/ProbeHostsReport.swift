import JarvisCore

/// What one `probe-hosts` run checked and changed (or, for a dry run, would check).
public struct ProbeHostsReport: Sendable {
    /// One host's line.
    public struct Entry: Sendable, Equatable {
        /// The plan for the host, with its status before the run.
        public var plan: ProbePlanEntry
        /// Its status after the run (the same as before when skipped or in a dry run).
        public var after: HostStatus
        /// What the check found; nil when it was not checked.
        public var outcome: HostCheckOutcome?
        /// How long the check took.
        public var duration: Duration?
        /// The transition it caused, if any.
        public var transition: HostTransition?

        /// The host.
        public var host: HostDefinition { plan.host }
        /// The status before the run.
        public var before: HostStatus { plan.status }
    }

    /// One entry per host, in inventory order.
    public var entries: [Entry]
    /// When the run started.
    public var startedAt: Timestamp
    /// Wall time of the checks (all hosts together).
    public var elapsed: Duration
    /// True for `--dry-run`: nothing was checked or written.
    public var dryRun: Bool
    /// True for `--auth`.
    public var authenticate: Bool
    /// The settings the run used.
    public var settings: SSHSettings

    /// Transitions, in inventory order.
    public var transitions: [HostTransition] { entries.compactMap(\.transition) }
    /// Hosts checked (or, in a dry run, that would be).
    public var checkedCount: Int { entries.filter(\.plan.due).count }
    /// OFFLINE hosts left alone because their re-check interval has not passed.
    public var skippedCount: Int { entries.count - checkedCount }
    /// Checks that succeeded.
    public var succeededCount: Int { entries.filter { $0.outcome?.succeeded == true }.count }
    /// Checks that failed.
    public var failedCount: Int { entries.filter { $0.outcome?.succeeded == false }.count }
    /// Hosts per state after the run.
    public var stateCounts: [HostState: Int] {
        var counts: [HostState: Int] = [:]
        for entry in entries { counts[entry.after.state, default: 0] += 1 }
        return counts
    }
}
