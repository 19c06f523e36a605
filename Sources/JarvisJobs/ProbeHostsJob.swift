import JarvisCore

/// `jarvis probe-hosts`: checks every host of the inventory in parallel and feeds the results
/// to the persisted host state machines.
///
/// - ONLINE and CHECKING hosts are checked every run; an OFFLINE host only once its re-check
///   interval has passed since it was last checked (the others are listed as skipped).
/// - A remote host is probed (TCP connect, then the SSH banner, within the probe timeout). A
///   CHECKING host that answers then gets an authenticated session running `true`, so that a
///   host that came back becomes ONLINE under the plain timer run; with `authenticate`, every
///   host that answers does.
/// - A `local: true` host runs `true` directly.
/// - Each host is one task of a task group capped at `SSHSettings.probeConcurrency`, so a run
///   takes about one probe timeout however many hosts are silent.
/// - The results are recorded in one transaction (`HostStateStore.record`), then each
///   transition is passed to the notifier once.
public struct ProbeHostsJob: Sendable {
    /// The hosts.
    public var inventory: HostInventory
    /// Timeouts, concurrency and thresholds.
    public var settings: SSHSettings
    /// `--auth`: open an authenticated session on hosts that answer.
    public var authenticate: Bool
    /// How hosts are checked.
    public var checks: HostChecks
    /// The wall clock.
    public var now: @Sendable () -> Timestamp

    /// Creates the job.
    ///
    /// - Parameters:
    ///   - inventory: The hosts.
    ///   - settings: Timeouts, concurrency and thresholds.
    ///   - authenticate: Open an authenticated session on hosts that answer.
    ///   - checks: How hosts are checked.
    ///   - now: The wall clock.
    public init(
        inventory: HostInventory, settings: SSHSettings, authenticate: Bool, checks: HostChecks, now: @escaping @Sendable () -> Timestamp
    ) {
        self.inventory = inventory
        self.settings = settings
        self.authenticate = authenticate
        self.checks = checks
        self.now = now
    }

    /// Decides which hosts a run at `at` checks.
    ///
    /// - Parameters:
    ///   - document: The stored host states.
    ///   - at: The run's start.
    /// - Returns: One entry per host, in inventory order.
    public func plan(_ document: HostStateDocument, at: Timestamp) -> [ProbePlanEntry] {
        inventory.hosts.map { host in
            let status = document.status(of: host.name)
            let machine = HostStateMachine(status: status, thresholds: settings.thresholds)
            if machine.shouldProbe(at: at) { return ProbePlanEntry(host: host, status: status, due: true, nextCheckAt: nil) }
            let next = status.lastCheckedAt.map { $0.adding(seconds: settings.recheckInterval) }
            return ProbePlanEntry(host: host, status: status, due: false, nextCheckAt: next)
        }
    }

    /// The report of a dry run: the plan, nothing checked, nothing written.
    ///
    /// - Parameters:
    ///   - document: The stored host states.
    ///   - at: Now.
    public func dryRun(_ document: HostStateDocument, at: Timestamp) -> ProbeHostsReport {
        let entries = plan(document, at: at).map { entry in
            ProbeHostsReport.Entry(plan: entry, after: entry.status, outcome: nil, duration: nil, transition: nil)
        }
        return ProbeHostsReport(entries: entries, startedAt: at, elapsed: .zero, dryRun: true, authenticate: authenticate, settings: settings)
    }

    /// Checks the due hosts, records the results and notifies each transition.
    ///
    /// - Parameters:
    ///   - store: Where host states are persisted.
    ///   - notifier: Told about each committed transition, once.
    /// - Returns: What was checked and what changed.
    /// - Throws: `JournalError` when the state cannot be read or written (then nothing was
    ///   recorded and nobody was notified).
    public func run(store: HostStateStore, notifier: any HostNotifier) async throws -> ProbeHostsReport {
        let startedAt = now()
        let clock = ContinuousClock()
        let start = clock.now
        let plan = plan(try store.load(), at: startedAt)
        let dueEntries = plan.filter(\.due)
        let due = dueEntries.map(\.host)
        let refusals = HostKeyRefusals(journal: store.journal, journalRows: store.journalRows, runner: store.runner)
        let standing = try due.map { try refusals.standing(for: $0) }
        let results = await check(due, states: dueEntries.map(\.status.state), refused: standing)
        let elapsed = start.duration(to: clock.now)

        let events = due.indices.map { index in
            HostStateStore.Event(host: due[index].name, event: results[index].outcome.event, at: results[index].finishedAt)
        }
        let changes = try store.record(events, thresholds: settings.thresholds, now: now())
        for transition in changes.compactMap(\.transition) { notifier.hostTransition(transition) }
        for (change, result) in zip(changes, results) {
            if case .hostKeyRefused(let refusal) = result.outcome, try refusals.record(refusal, status: change.after, now: now()) {
                notifier.hostKeyRefused(refusal)
            }
        }

        var byHost: [String: (HostStateStore.Change, CheckResult)] = [:]
        for (change, result) in zip(changes, results) { byHost[change.host] = (change, result) }
        let entries = plan.map { entry -> ProbeHostsReport.Entry in
            guard let (change, result) = byHost[entry.host.name] else {
                return ProbeHostsReport.Entry(plan: entry, after: entry.status, outcome: nil, duration: nil, transition: nil)
            }
            var planned = entry
            planned.status = change.before
            return ProbeHostsReport.Entry(
                plan: planned, after: change.after, outcome: result.outcome, duration: result.duration, transition: change.transition)
        }
        return ProbeHostsReport(
            entries: entries, startedAt: startedAt, elapsed: elapsed, dryRun: false, authenticate: authenticate, settings: settings)
    }

    /// What checking one host gave.
    struct CheckResult: Sendable {
        var outcome: HostCheckOutcome
        var duration: Duration
        var finishedAt: Timestamp
    }

    /// Checks `hosts` in parallel, at most `probeConcurrency` at a time.
    ///
    /// - Parameters:
    ///   - hosts: The hosts to check.
    ///   - states: Their stored states, in the same order (a CHECKING host gets a session).
    ///   - refused: Host key refusals still in force, in the same order: no session for those.
    /// - Returns: One result per host, in order.
    func check(_ hosts: [HostDefinition], states: [HostState], refused: [HostKeyRefusal?] = []) async -> [CheckResult] {
        var results = [CheckResult?](repeating: nil, count: hosts.count)
        await withTaskGroup(of: (Int, CheckResult).self) { group in
            var next = 0
            let limit = max(1, settings.probeConcurrency)
            func addTask() {
                let index = next
                let host = hosts[index]
                let state = index < states.count ? states[index] : .online
                let refusal = index < refused.count ? refused[index] : nil
                group.addTask { (index, await checkOne(host, state: state, refused: refusal)) }
                next += 1
            }
            while next < hosts.count && next < limit { addTask() }
            while let (index, result) = await group.next() {
                results[index] = result
                if next < hosts.count { addTask() }
            }
        }
        return results.map { $0 ?? CheckResult(outcome: .probeFailed("not checked"), duration: .zero, finishedAt: now()) }
    }

    /// Checks one host: a probe, then a session when `authenticate` is set or the host is
    /// CHECKING (it answered after being OFFLINE; only a session can make it ONLINE again).
    private func checkOne(_ host: HostDefinition, state: HostState, refused: HostKeyRefusal?) async -> CheckResult {
        let clock = ContinuousClock()
        let start = clock.now
        let outcome: HostCheckOutcome
        if host.local {
            outcome = await checks.local(host)
        } else {
            switch await checks.probe(host, settings.probeTimeoutDuration) {
            case .answered where refused != nil && (authenticate || state == .checking):
                // Its key was refused and known_hosts has not changed since: never log in again.
                outcome = .sessionFailed(refused?.summary ?? "host key refused")
            case .answered(let banner) where authenticate || state == .checking:
                switch await checks.session(host) {
                case .sessionSucceeded(_, let status): outcome = .sessionSucceeded(banner: banner, exitStatus: status)
                case let other: outcome = other
                }
            case let other:
                outcome = other
            }
        }
        return CheckResult(outcome: outcome, duration: start.duration(to: clock.now), finishedAt: now())
    }
}

/// Whether a run checks one host.
public struct ProbePlanEntry: Sendable, Equatable {
    /// The host.
    public var host: HostDefinition
    /// Its stored status when the plan was made.
    public var status: HostStatus
    /// True when the run checks it.
    public var due: Bool
    /// For a skipped OFFLINE host: when it will be checked again.
    public var nextCheckAt: Timestamp?
}
