// jarvis-bench: reruns the measurements behind the README's performance section.
//
//   jarvis-bench ingest FILES PER_FILE   spool → journal (PostgreSQL-mode journaling, flush
//                                         refused), against the same rows inserted into SQLite
//                                         without decoding, in the same process
//   jarvis-bench journal-path FILES PER_FILE
//                                         the same without triage and remediation (which
//                                         IngestJob runs since triage landed), same baseline
//   jarvis-bench phases [FILES [PER_FILE]] time each ingest phase (default 400×50 alerts)
//   jarvis-bench decide [FILES [PER_FILE [ROUNDS]]]
//                                         the triage_decide phase alone, fastest and median of
//                                         ROUNDS fresh runs (default 2000×50, 5 rounds)
//   jarvis-bench drain-phases JOURNAL URL [BATCH]
//                                         drain a journal file, timing SQLite read, apply, delete
//   jarvis-bench runners URL [ALERTS]     remediation decisions per second of three runners
//                                         sharing PostgreSQL vs one, on the same stream (1 in 10
//                                         alerts actionable), and claims and failure-memory
//                                         questions per actionable alert
//   jarvis-bench ingest-postgres URL FILES PER_FILE
//                                         ingest with PostgreSQL configured and answering (claims,
//                                         shared state, flush) vs embedded, on the same alerts
//
// Prints key=value lines; scripts/bench runs it and computes ratios.
import Foundation
import JarvisCore
import JarvisHTTP
import JarvisJobs
import JarvisPostgres
import JarvisSQLite
import JarvisSSH
import JarvisSpool
import JarvisTestSupport

func seconds(_ body: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

func processUsage() -> rusage {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return usage
}

func peakRSSMiB() -> Double { Double(processUsage().ru_maxrss) / 1024 }

/// CPU seconds (user + system) this process has used so far, all threads.
func processCPUSeconds() -> Double {
    let usage = processUsage()
    let time = { (t: timeval) in Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }
    return time(usage.ru_utime) + time(usage.ru_stime)
}

final class RefusingStore: StoreOfRecord {
    func apply(_ entries: [JournalEntry]) throws -> Int { throw StoreFailure(unreachable: true, description: "benchmark: no PostgreSQL") }
    func migrate() throws -> [String] { [] }
}

/// IngestJob's claim, read, decode, SHA-256, events, group commits and deletes, without the
/// triage and remediation it runs since triage landed. - Returns: the seconds it took.
func journalPath(spool: SpoolDirectory, journal: JournalDatabase, configuration: JarvisConfiguration, expected: Int) throws -> Double {
    var recorded = 0
    let elapsed = try seconds {
        var group: [(name: String, events: [AlertEvent])] = []
        var groupAlerts = 0
        func commit() throws {
            guard !group.isEmpty else { return }
            let results = try journal.recordFiles(group.map(\.events), forward: true, now: Timestamp(seconds: 1_800_000_000))
            for (file, result) in zip(group, results) {
                try spool.complete(file.name)
                recorded += result.inserted
            }
            group = []
            groupAlerts = 0
        }
        for name in try spool.pending() {
            guard try spool.claim(name), case .contents(let bytes) = try spool.read(name) else { continue }
            let webhook = try AlertmanagerWebhook.decode(bytes)
            group.append(
                (
                    name,
                    AlertEvent.events(
                        from: webhook, sourceSHA256: ContentDigest.sha256Hex(bytes), receivedAt: Timestamp(seconds: 1_800_000_000), runner: "bench")
                ))
            groupAlerts += webhook.alerts.count
            if group.count >= configuration.ingest.groupFiles || groupAlerts >= configuration.ingest.groupAlerts { try commit() }
        }
        try commit()
    }
    guard recorded == expected else {
        FileHandle.standardError.write(Data(("benchmark: the journal path recorded \(recorded) of \(expected) alerts\n").utf8))
        exit(1)
    }
    return elapsed
}

/// The baseline: the same rows, already decoded, inserted by the same code path and group
/// size into a fresh journal. - Returns: the seconds the inserts took.
func insertOnly(files: Int, perFile: Int, groupFiles: Int, path: String) throws -> Double {
    var groups: [[[AlertEvent]]] = []
    var group: [[AlertEvent]] = []
    for f in 0..<files {
        let webhook = try AlertmanagerWebhook.decode(SyntheticPayloads.group(first: f * perFile, count: perFile))
        group.append(AlertEvent.events(from: webhook, sourceSHA256: "", receivedAt: Timestamp(seconds: 1_800_000_000), runner: "bench"))
        if group.count == groupFiles {
            groups.append(group)
            group = []
        }
    }
    if !group.isEmpty { groups.append(group) }
    let baseline = try JournalDatabase(path: path)
    return try seconds {
        for g in groups { _ = try baseline.recordFiles(g, forward: true, now: Timestamp(seconds: 1_800_000_000)) }
    }
}

/// Forwards to PostgreSQL and counts the claims and the failure-memory questions (round
/// trips per actionable alert).
final class CountingCoordination: RunnerCoordination, SharedLearning {
    let base: any RunnerCoordination & SharedLearning
    let lock = NSLock()
    var claims = 0
    var failureMemoryQueries = 0
    init(_ base: any RunnerCoordination & SharedLearning) { self.base = base }
    func teachNext(runner: String, now: Timestamp) throws -> LearnStep? { try base.teachNext(runner: runner, now: now) }
    func hasUntaughtOutcomes() throws -> Bool { try base.hasUntaughtOutcomes() }
    func patterns(changedSince cursor: String?) throws -> (patterns: [LearnedPattern], cursor: String) {
        try base.patterns(changedSince: cursor)
    }
    func failedCommandLists(alertKey: String, otherThan runner: String) throws -> [String] {
        lock.withLock { failureMemoryQueries += 1 }
        return try base.failedCommandLists(alertKey: alertKey, otherThan: runner)
    }
    func patternEvents(patternID: Int64) throws -> [PatternEvent] { try base.patternEvents(patternID: patternID) }
    func claim(_ request: RemediationClaimRequest) throws -> RemediationClaim {
        lock.withLock { claims += 1 }
        return try base.claim(request)
    }
    func reserveAction(attemptKey: String, host: String, limit: Int, window: Double) throws -> ActionReservation {
        try base.reserveAction(attemptKey: attemptKey, host: host, limit: limit, window: window)
    }
    func releaseHost(_ host: String) { base.releaseHost(host) }
    func acquireLock(_ name: String, timeout: Double) throws -> Bool { try base.acquireLock(name, timeout: timeout) }
    func releaseLock(_ name: String) { base.releaseLock(name) }
    func sharedWindows() throws -> [SharedMaintenanceWindow] { try base.sharedWindows() }
    func latestHostTransitions() throws -> [HostTransition] { try base.latestHostTransitions() }
    func claimNotification(dedupKey: String, runner: String, expiresAfter: Double?) throws -> String {
        try base.claimNotification(dedupKey: dedupKey, runner: runner, expiresAfter: expiresAfter)
    }
    func claimNotifications(dedupKeys: [String], runner: String, expiresAfter: Double?) throws -> Set<String> {
        try base.claimNotifications(dedupKeys: dedupKeys, runner: runner, expiresAfter: expiresAfter)
    }
    func claimApproval(_ request: ApprovalClaimRequest) throws -> ApprovalClaim { try base.claimApproval(request) }
    func recordRun(_ activity: RunnerActivity) throws { try base.recordRun(activity) }
    func runners(seenWithin seconds: Double) throws -> [RunnerActivity] { try base.runners(seenWithin: seconds) }
}

/// `files` webhooks of `perFile` alerts, one in ten on an inventory host (h0…h9) and so
/// actionable, the others unroutable; every alert its own occurrence and alert key.
func runnerStream(files: Int, perFile: Int, startsAt: String) -> [Data] {
    (0..<files).map { f in
        let alerts = (0..<perFile).map { i -> String in
            let n = f * perFile + i
            let host = n % 10 == 0 ? "h\(n / 10 % 10)" : "elsewhere\(n % 50)"
            return """
                {"status":"firing","labels":{"alertname":"BenchAlert","host":"\(host)","container":"c\(n)","severity":"warning"},\
                "annotations":{"summary":"bench \(n)"},"startsAt":"\(startsAt)","endsAt":"0001-01-01T00:00:00Z","generatorURL":"","fingerprint":""}
                """
        }
        return Data(
            #"{"version":"4","receiver":"jarvis","status":"firing","groupKey":"{}:{}","alerts":["#.utf8 + Data(alerts.joined(separator: ",").utf8)
                + Data("]}".utf8))
    }
}

/// A runner's configuration in `dir`: PostgreSQL at `url` (nil: embedded), hosts h0…h9.
func runnerConfiguration(_ name: String, dir: String, url: String?) -> JarvisConfiguration {
    var configuration = JarvisConfiguration()
    configuration.spoolDir = dir + "/\(name)/spool"
    configuration.stateDir = dir + "/\(name)/state"
    configuration.runner = name
    configuration.postgres = url.map { PostgresSettings(url: Secret($0)) }
    configuration.hosts = (0..<10).map { HostDefinition(name: "h\($0)", address: "127.0.0.1") }
    configuration.remediation.maxPerRun = 1000
    configuration.remediation.actionsPerHour = 1_000_000
    // Every round's stream has the same alert keys (new occurrences): none may run out of attempts.
    configuration.triage.attempts.limit = 100
    try? FileManager.default.createDirectory(atPath: configuration.stateDir, withIntermediateDirectories: true)
    return configuration
}

/// One ingest run of `configuration` over `bodies` (dry-run remediation, no LLM: each
/// actionable alert is claimed, then recorded as escalated). - Returns: the report.
/// A runner's ingest job over `bodies`, already in its spool and synced to disk: the
/// benchmarks time `run()` alone, not writing the spool.
func preparedIngest(
    _ configuration: JarvisConfiguration, bodies: [Data], coordination: (any RunnerCoordination)?, learning: (any SharedLearning)? = nil
) throws -> IngestJob<JournalDatabase, SpoolDirectory> {
    let spool = try SpoolDirectory(root: configuration.spoolDir)
    for (index, body) in bodies.enumerated() { try body.write(to: URL(fileURLWithPath: spool.incoming + "/\(String(format: "%08d", index)).json")) }
    sync()
    let journal = try JournalDatabase(path: configuration.journalPath)
    let settings = configuration.postgres
    var job = IngestJob(
        configuration: configuration, spool: spool, journal: { journal }, now: { Timestamp(epochSeconds: Date().timeIntervalSince1970) },
        connectStore: settings.map { settings in { try LivePostgres.connect(settings) } },
        executor: LiveRemediationExecutor(settings: configuration.ssh, sleeper: SystemSleeper()), locks: FileLocks())
    job.coordination = coordination
    job.learning = learning
    return job
}

let arguments = CommandLine.arguments.dropFirst()
switch arguments.first {
case "patterns":
    patternChoiceBenchmark(patterns: Int(arguments.dropFirst().first ?? "") ?? 10_000)
case "learning":
    try learningQualityBenchmark(repeats: Int(arguments.dropFirst().first ?? "") ?? 80)
case "runners":
    // jarvis-bench runners URL [ALERTS]: see the header.
    guard let url = arguments.dropFirst().first else {
        FileHandle.standardError.write(Data("usage: jarvis-bench runners URL [ALERTS]\n".utf8))
        exit(64)
    }
    let total = Int(arguments.dropFirst(2).first ?? "") ?? 5000
    _ = try LivePostgres.connect(PostgresSettings(url: Secret(url))).migrate()
    let dir = try TemporaryDirectory("jarvis-bench-runners")
    let actionable = total / 10
    // A warm-up round (not reported: the first connections and runs pay for what later ones
    // find ready), then one runner, then three at once, each on its own stream of new
    // occurrences; last, the same-run baseline of the failure memory: one runner whose
    // memory is its own journal.
    var results: [(runners: Int, seconds: Double, claims: Int, memory: Int, decided: Int)] = []
    for (round, (count, shared)) in [(1, false), (1, true), (3, true), (1, false)].enumerated() {
        let bodies = runnerStream(files: total / 50, perFile: 50, startsAt: "2026-12-0\(round + 1)T00:00:00Z")
        // Each runner's connection is used by its own thread only.
        nonisolated(unsafe) let coordinations = (0..<count).map { _ in
            CountingCoordination(LiveRunnerCoordination(settings: PostgresSettings(url: Secret(url))))
        }
        let configurations = (0..<count).map { runnerConfiguration("r\(round)-\($0)", dir: dir.path, url: url) }
        let decided = NSLock()
        nonisolated(unsafe) var items = 0
        // As the CLI wires it: PostgreSQL also learns and answers the failure memory.
        nonisolated(unsafe) let jobs = try (0..<count).map { index in
            try preparedIngest(
                configurations[index], bodies: bodies, coordination: coordinations[index], learning: shared ? coordinations[index] : nil)
        }
        let elapsed = seconds {
            DispatchQueue.concurrentPerform(iterations: count) { index in
                do {
                    let report = try jobs[index].run()
                    decided.withLock { items += report.remediation?.items.count ?? 0 }
                } catch {
                    FileHandle.standardError.write(Data("benchmark: runner \(index): \(error)\n".utf8))
                    exit(1)
                }
            }
        }
        results.append((count, elapsed, coordinations.reduce(0) { $0 + $1.claims }, coordinations.reduce(0) { $0 + $1.failureMemoryQueries }, items))
    }
    for result in results where result.decided != actionable * result.runners {
        FileHandle.standardError.write(
            Data("benchmark: \(result.runners) runner(s) decided \(result.decided) of \(actionable * result.runners)\n".utf8))
        exit(1)
    }
    results.removeFirst()
    for result in results.prefix(2) {
        print("runners_\(result.runners)_seconds=\(String(format: "%.3f", result.seconds))")
        print("runners_\(result.runners)_decisions_per_s=\(Int(Double(actionable) / result.seconds))")
        print(
            "runners_\(result.runners)_claims_per_actionable_alert_per_runner=\(String(format: "%.2f", Double(result.claims) / Double(actionable * result.runners)))"
        )
        print(
            "runners_\(result.runners)_failure_memory_queries_per_actionable_alert_per_runner=\(String(format: "%.2f", Double(result.memory) / Double(actionable * result.runners)))"
        )
    }
    print("alerts=\(total) actionable=\(actionable)")
    print("three_vs_one=\(String(format: "%.2f", results[0].seconds / results[1].seconds))")
    print("runners_1_own_failure_memory_seconds=\(String(format: "%.3f", results[2].seconds))")
    print("shared_vs_own_failure_memory=\(String(format: "%.2f", results[2].seconds / results[0].seconds))")
case "ingest-postgres":
    // jarvis-bench ingest-postgres URL FILES PER_FILE: see the header.
    guard let url = arguments.dropFirst().first else {
        FileHandle.standardError.write(Data("usage: jarvis-bench ingest-postgres URL [FILES [PER_FILE]]\n".utf8))
        exit(64)
    }
    let files = Int(arguments.dropFirst(2).first ?? "") ?? 2000
    let perFile = Int(arguments.dropFirst(3).first ?? "") ?? 50
    _ = try LivePostgres.connect(PostgresSettings(url: Secret(url))).migrate()
    let dir = try TemporaryDirectory("jarvis-bench-ingest-pg")
    let bodies = (0..<files).map { SyntheticPayloads.group(first: $0 * perFile, count: perFile) }
    var rates: [String: Double] = [:]
    for mode in ["embedded", "postgres"] {
        var configuration = runnerConfiguration(mode, dir: dir.path, url: mode == "postgres" ? url : nil)
        configuration.hosts = []
        let coordination = configuration.postgres.map { LiveRunnerCoordination(settings: $0) as any RunnerCoordination }
        var report = IngestReport()
        let job = try preparedIngest(configuration, bodies: bodies, coordination: coordination)
        let cpuBefore = processCPUSeconds()
        let elapsed = try seconds { report = try job.run() }
        let cpu = processCPUSeconds() - cpuBefore
        guard report.newEvents == files * perFile, report.flush?.failure == nil else {
            FileHandle.standardError.write(
                Data("benchmark: \(mode) recorded \(report.newEvents) alerts, flush \(report.flush?.summary ?? "none")\n".utf8))
            exit(1)
        }
        rates[mode] = Double(files * perFile) / elapsed
        print("\(mode)_alerts_per_s=\(Int(rates[mode]!))")
        print("\(mode)_seconds=\(String(format: "%.2f", elapsed)) \(mode)_jarvis_cpu_s=\(String(format: "%.2f", cpu))")
        if let flush = report.flush { print("\(mode)_flushed_rows=\(flush.drained)") }
    }
    print("postgres_vs_embedded=\(String(format: "%.2f", rates["postgres"]! / rates["embedded"]!))")
case "ingest":
    let files = Int(arguments.dropFirst().first ?? "") ?? 2000
    let perFile = Int(arguments.dropFirst(2).first ?? "") ?? 50
    let dir = try TemporaryDirectory("jarvis-bench")
    var configuration = JarvisConfiguration()
    configuration.spoolDir = dir.path + "/spool"
    configuration.stateDir = dir.path + "/state"
    configuration.runner = "bench"
    try FileManager.default.createDirectory(atPath: configuration.stateDir, withIntermediateDirectories: true)
    let spool = try SpoolDirectory(root: configuration.spoolDir)
    for f in 0..<files {
        let body = SyntheticPayloads.group(first: f * perFile, count: perFile)
        try body.write(to: URL(fileURLWithPath: spool.incoming + "/\(String(format: "%08d", f)).json"))
    }
    // jarvis enqueue fsyncs every file it drops; unsynced files would be written back during
    // the ingest's own fsyncs (ext4 data=ordered) and be counted against it.
    sync()
    let rssBefore = peakRSSMiB()
    let journal = try JournalDatabase(path: configuration.journalPath)
    let job = IngestJob(
        configuration: configuration, spool: spool, journal: { journal }, now: { Timestamp(seconds: 1_800_000_000) },
        connectStore: { RefusingStore() }, executor: LiveRemediationExecutor(settings: configuration.ssh, sleeper: SystemSleeper()),
        locks: FileLocks())
    var report = IngestReport()
    let ingestSeconds = try seconds { report = try job.run() }
    guard report.newEvents == files * perFile, report.rejected.isEmpty else {
        FileHandle.standardError.write(Data(("benchmark: ingest recorded \(report.newEvents) of \(files * perFile) alerts\n").utf8))
        exit(1)
    }
    let rssAfterIngest = peakRSSMiB()
    let insertSeconds = try insertOnly(
        files: files, perFile: perFile, groupFiles: configuration.ingest.groupFiles, path: dir.path + "/baseline.sqlite")
    let alerts = Double(files * perFile)
    print("alerts=\(files * perFile)")
    print("ingest_seconds=\(ingestSeconds)")
    print("ingest_alerts_per_s=\(Int(alerts / ingestSeconds))")
    print("insert_only_alerts_per_s=\(Int(alerts / insertSeconds))")
    print("ingest_vs_insert_only=\(String(format: "%.3f", insertSeconds / ingestSeconds))")
    print("peak_rss_before_ingest_mib=\(String(format: "%.1f", rssBefore))")
    print("peak_rss_after_ingest_mib=\(String(format: "%.1f", rssAfterIngest))")
case "journal-path":
    // jarvis-bench journal-path FILES PER_FILE: only the journal path (see journalPath).
    let files = Int(arguments.dropFirst().first ?? "") ?? 2000
    let perFile = Int(arguments.dropFirst(2).first ?? "") ?? 50
    let dir = try TemporaryDirectory("jarvis-bench")
    let spool = try SpoolDirectory(root: dir.path + "/spool")
    for f in 0..<files {
        let body = SyntheticPayloads.group(first: f * perFile, count: perFile)
        try body.write(to: URL(fileURLWithPath: spool.incoming + "/\(String(format: "%08d", f)).json"))
    }
    sync()
    let configuration = JarvisConfiguration()
    let elapsed = try journalPath(
        spool: spool, journal: try JournalDatabase(path: dir.path + "/j.sqlite"), configuration: configuration, expected: files * perFile)
    let rss = peakRSSMiB()
    let insertSeconds = try insertOnly(
        files: files, perFile: perFile, groupFiles: configuration.ingest.groupFiles, path: dir.path + "/baseline.sqlite")
    print("journal_path_alerts_per_s=\(Int(Double(files * perFile) / elapsed))")
    print("insert_only_alerts_per_s=\(Int(Double(files * perFile) / insertSeconds))")
    print("journal_path_vs_insert_only=\(String(format: "%.3f", insertSeconds / elapsed))")
    print("peak_rss_after_journal_path_mib=\(String(format: "%.1f", rss))")
case "phases":
    // Each ingest phase on its own, over FILES×PER_FILE alerts (default 400×50), in order.
    let files = Int(arguments.dropFirst().first ?? "") ?? 400
    let perFile = Int(arguments.dropFirst(2).first ?? "") ?? 50
    let alerts = Double(files * perFile)
    func report(_ name: String, _ s: Double) {
        print("\(name)_s=\(String(format: "%.3f", s)) (\(String(format: "%.2f", s / alerts * 1e6)) µs/alert)")
    }
    let bodies = (0..<files).map { Array(SyntheticPayloads.group(first: $0 * perFile, count: perFile)) }
    var webhooks: [AlertmanagerWebhook] = []
    report("decode", try seconds { webhooks = try bodies.map { try AlertmanagerWebhook.decode($0) } })
    var hashes: [String] = []
    report("sha256", seconds { hashes = bodies.map { ContentDigest.sha256Hex($0) } })
    var events: [[AlertEvent]] = []
    report(
        "events",
        seconds {
            events = zip(webhooks, hashes).map {
                AlertEvent.events(from: $0, sourceSHA256: $1, receivedAt: Timestamp(seconds: 1_800_000_000), runner: "r")
            }
        })
    let dir = try TemporaryDirectory("jarvis-bench")
    var configuration = JarvisConfiguration()
    configuration.stateDir = dir.path
    let journal = try JournalDatabase(path: dir.file("j.sqlite"))
    var session = try TriageSession(configuration: configuration, journal: journal, now: Timestamp(seconds: 1_800_000_000))
    var rowsByGroup: [[TriageStateRow]] = []
    report(
        "triage_decide",
        try seconds {
            for f in events.indices {
                try session.decide(&events[f])
                if f % 64 == 63 || f == events.count - 1 { rowsByGroup.append(session.takeRows()) }
            }
        })
    report("rows", seconds { for e in events { for x in e { _ = x.row } } })
    report(
        "record",
        try seconds {
            for g in stride(from: 0, to: events.count, by: 64) {
                _ = try journal.recordFiles(
                    Array(events[g..<min(g + 64, events.count)]), forward: true, now: Timestamp(seconds: 1_800_000_000),
                    triageRows: rowsByGroup[g / 64], generation: session.generation)
            }
        })
    report("triage_finish", try seconds { _ = try session.finish(journal: journal, journaled: true, now: Timestamp(seconds: 1_800_000_001)) })
    print("peak_rss_mib=\(String(format: "%.1f", peakRSSMiB()))")
case "decide":
    // jarvis-bench decide [FILES [PER_FILE [ROUNDS]]]: only the triage_decide phase, ROUNDS
    // times (default 5) on fresh sessions and journals, for the fastest and median round
    // (the phases figure on a busy machine varies more than the changes being measured).
    let files = Int(arguments.dropFirst().first ?? "") ?? 2000
    let perFile = Int(arguments.dropFirst(2).first ?? "") ?? 50
    let rounds = max(1, Int(arguments.dropFirst(3).first ?? "") ?? 5)
    let alerts = Double(files * perFile)
    let events = try (0..<files).map { f in
        AlertEvent.events(
            from: try AlertmanagerWebhook.decode(SyntheticPayloads.group(first: f * perFile, count: perFile)), sourceSHA256: "",
            receivedAt: Timestamp(seconds: 1_800_000_000), runner: "r")
    }
    var times: [Double] = []
    for _ in 0..<rounds {
        let dir = try TemporaryDirectory("jarvis-bench")
        var configuration = JarvisConfiguration()
        configuration.stateDir = dir.path
        let journal = try JournalDatabase(path: dir.file("j.sqlite"))
        var session = try TriageSession(configuration: configuration, journal: journal, now: Timestamp(seconds: 1_800_000_000))
        var copy = events
        // As ingest does: a file's events at once, the rows taken out every 64 files (here
        // not written: the SQLite write is timed by `phases` as part of `record`).
        times.append(
            try seconds {
                for f in copy.indices {
                    try session.decide(&copy[f])
                    if f % 64 == 63 { _ = session.takeRows() }
                }
            })
    }
    times.sort()
    print("triage_decide_min=\(String(format: "%.2f", times[0] / alerts * 1e6)) µs/alert")
    print("triage_decide_median=\(String(format: "%.2f", times[times.count / 2] / alerts * 1e6)) µs/alert")
case "drain-phases":
    // jarvis-bench drain-phases JOURNAL URL [BATCH]: drains the journal file into PostgreSQL
    // as DrainJob does, timing the SQLite read, the PostgreSQL apply and the SQLite delete.
    let path = String(arguments.dropFirst().first ?? "")
    let url = String(arguments.dropFirst(2).first ?? "")
    let batch = Int(arguments.dropFirst(3).first ?? "") ?? 2000
    let journal = try JournalDatabase(path: path)
    let store = try LivePostgres.connect(PostgresSettings(url: Secret(url)))
    func cpuSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
    }
    var read = 0.0
    var apply = 0.0
    var applyCPU = 0.0
    var remove = 0.0
    var rows = 0
    while true {
        var entries: [JournalEntry] = []
        read += try seconds { entries = try journal.pendingEntries(limit: batch) }
        guard let last = entries.last else { break }
        let cpu = cpuSeconds()
        apply += try seconds { _ = try store.apply(entries) }
        applyCPU += cpuSeconds() - cpu
        remove += try seconds { try journal.removeEntries(through: last.seq) }
        rows += entries.count
    }
    let total = read + apply + remove
    print(
        "rows=\(rows) rows_per_s=\(Int(Double(rows) / total)) read_s=\(String(format: "%.3f", read)) apply_s=\(String(format: "%.3f", apply)) (client CPU \(String(format: "%.3f", applyCPU))) remove_s=\(String(format: "%.3f", remove))"
    )
default:
    FileHandle.standardError.write(
        Data(
            ("usage: jarvis-bench ingest|journal-path|phases|decide [FILES [PER_FILE]] | drain-phases JOURNAL URL [BATCH] | patterns [N] | learning [REPEATS]\n")
                .utf8))
    exit(64)
}
