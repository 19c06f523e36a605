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
//
// Prints key=value lines; scripts/bench runs it and computes ratios.
import Foundation
import JarvisCore
import JarvisJobs
import JarvisSQLite
import JarvisSpool
import JarvisTestSupport

func seconds(_ body: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

func peakRSSMiB() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_maxrss) / 1024
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
                (name, AlertEvent.events(from: webhook, sourceSHA256: ContentDigest.sha256Hex(bytes), receivedAt: Timestamp(seconds: 1_800_000_000), runner: "bench")))
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

let arguments = CommandLine.arguments.dropFirst()
switch arguments.first {
case "patterns":
    patternChoiceBenchmark(patterns: Int(arguments.dropFirst().first ?? "") ?? 10_000)
case "learning":
    try learningQualityBenchmark(repeats: Int(arguments.dropFirst().first ?? "") ?? 80)
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
    let job = IngestJob(configuration: configuration, spool: spool, journal: { journal }, now: { Timestamp(seconds: 1_800_000_000) }, connectStore: { RefusingStore() })
    var report = IngestReport()
    let ingestSeconds = try seconds { report = try job.run() }
    guard report.newEvents == files * perFile, report.rejected.isEmpty else {
        FileHandle.standardError.write(Data(("benchmark: ingest recorded \(report.newEvents) of \(files * perFile) alerts\n").utf8))
        exit(1)
    }
    let rssAfterIngest = peakRSSMiB()
    let insertSeconds = try insertOnly(files: files, perFile: perFile, groupFiles: configuration.ingest.groupFiles, path: dir.path + "/baseline.sqlite")
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
    let elapsed = try journalPath(spool: spool, journal: try JournalDatabase(path: dir.path + "/j.sqlite"), configuration: configuration, expected: files * perFile)
    let rss = peakRSSMiB()
    let insertSeconds = try insertOnly(files: files, perFile: perFile, groupFiles: configuration.ingest.groupFiles, path: dir.path + "/baseline.sqlite")
    print("journal_path_alerts_per_s=\(Int(Double(files * perFile) / elapsed))")
    print("insert_only_alerts_per_s=\(Int(Double(files * perFile) / insertSeconds))")
    print("journal_path_vs_insert_only=\(String(format: "%.3f", insertSeconds / elapsed))")
    print("peak_rss_after_journal_path_mib=\(String(format: "%.1f", rss))")
case "phases":
    // Each ingest phase on its own, over FILES×PER_FILE alerts (default 400×50), in order.
    let files = Int(arguments.dropFirst().first ?? "") ?? 400
    let perFile = Int(arguments.dropFirst(2).first ?? "") ?? 50
    let alerts = Double(files * perFile)
    func report(_ name: String, _ s: Double) { print("\(name)_s=\(String(format: "%.3f", s)) (\(String(format: "%.2f", s / alerts * 1e6)) µs/alert)") }
    let bodies = (0..<files).map { Array(SyntheticPayloads.group(first: $0 * perFile, count: perFile)) }
    var webhooks: [AlertmanagerWebhook] = []
    report("decode", try seconds { webhooks = try bodies.map { try AlertmanagerWebhook.decode($0) } })
    var hashes: [String] = []
    report("sha256", seconds { hashes = bodies.map { ContentDigest.sha256Hex($0) } })
    var events: [[AlertEvent]] = []
    report("events", seconds {
        events = zip(webhooks, hashes).map { AlertEvent.events(from: $0, sourceSHA256: $1, receivedAt: Timestamp(seconds: 1_800_000_000), runner: "r") }
    })
    let dir = try TemporaryDirectory("jarvis-bench")
    var configuration = JarvisConfiguration()
    configuration.stateDir = dir.path
    let journal = try JournalDatabase(path: dir.file("j.sqlite"))
    var session = try TriageSession(configuration: configuration, journal: journal, now: Timestamp(seconds: 1_800_000_000))
    var rowsByGroup: [[TriageStateRow]] = []
    report("triage_decide", try seconds {
        for f in events.indices {
            try session.decide(&events[f])
            if f % 64 == 63 || f == events.count - 1 { rowsByGroup.append(session.takeRows()) }
        }
    })
    report("rows", seconds { for e in events { for x in e { _ = x.row } } })
    report("record", try seconds {
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
        times.append(try seconds {
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
    var read = 0.0, apply = 0.0, applyCPU = 0.0, remove = 0.0, rows = 0
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
    print("rows=\(rows) rows_per_s=\(Int(Double(rows) / total)) read_s=\(String(format: "%.3f", read)) apply_s=\(String(format: "%.3f", apply)) (client CPU \(String(format: "%.3f", applyCPU))) remove_s=\(String(format: "%.3f", remove))")
default:
    FileHandle.standardError.write(Data(("usage: jarvis-bench ingest|journal-path|phases|decide [FILES [PER_FILE]] | drain-phases JOURNAL URL [BATCH] | patterns [N] | learning [REPEATS]\n").utf8))
    exit(64)
}
