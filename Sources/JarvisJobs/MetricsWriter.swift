import Foundation
import JarvisCore

/// Writes Prometheus textfile metrics for node_exporter into `metrics_dir`, each file
/// replaced atomically (temp file + rename, mode 0644):
///
/// - `jarvis_run_<command>.prom`, by every run of every subcommand: when it last ran, how
///   long it took, how it exited. It costs one small file write and opens no database, so
///   the timer's idle ingest runs stay cheap.
/// - `jarvis_state.prom`, by runs that have work or state to look at (not the idle ingest
///   runs): counters read from the store (alerts by decision, remediations by tier and
///   outcome, LLM calls, tokens, errors and cost), the journal's depth and oldest row, the
///   spool backlog, hosts by state and the Discord outbox. Rewritten at most every
///   `refreshInterval` seconds, since reading the counters scans the tables.
public struct MetricsWriter: Sendable {
    /// The folder node_exporter reads (`--collector.textfile.directory`).
    public let directory: String

    /// How old `jarvis_state.prom` may get before a run refreshes it [30 s].
    public static let refreshInterval = 30.0

    public init(directory: String) { self.directory = directory }

    /// The writer for `configuration`, nil when no `metrics_dir` is set.
    public static func configured(_ configuration: JarvisConfiguration) -> MetricsWriter? {
        configuration.metricsDir.map(MetricsWriter.init(directory:))
    }

    /// The file a subcommand's run metrics go to.
    public func runFile(_ command: String) -> String { directory + "/jarvis_run_\(command).prom" }

    /// The file the store's metrics go to.
    public var stateFile: String { directory + "/jarvis_state.prom" }

    /// The metrics of one run.
    public static func runText(command: String, started: Timestamp, finished: Timestamp, exitCode: Int32) -> String {
        let labels = [("command", command)]
        var text = PrometheusText()
        text.family(
            "jarvis_last_run_timestamp_seconds", "When the subcommand's last run finished (Unix time).", .gauge, [(labels, finished.epochSeconds)])
        text.family(
            "jarvis_last_run_duration_seconds", "How long the subcommand's last run took.", .gauge,
            [(labels, max(0, finished.seconds(since: started)))])
        text.family(
            "jarvis_last_run_exit_code", "Exit status of the subcommand's last run (0 ok, 75 degraded, 78 configuration error, …).", .gauge,
            [(labels, Double(exitCode))])
        return text.text
    }

    /// Writes the run metrics of `command`.
    /// - Throws: `FileWriteError`.
    public func writeRun(command: String, started: Timestamp, finished: Timestamp, exitCode: Int32) throws {
        try write(Self.runText(command: command, started: started, finished: finished, exitCode: exitCode), to: runFile(command))
    }

    /// True when `jarvis_state.prom` was written less than `refreshInterval` ago.
    public func stateIsFresh(now: Timestamp) -> Bool {
        var info = stat()
        guard stat(stateFile, &info) == 0 else { return false }
        let age = now.epochSeconds - (Double(info.st_mtim.tv_sec) + Double(info.st_mtim.tv_nsec) / 1e9)
        return age >= 0 && age < Self.refreshInterval
    }

    /// The store's metrics.
    ///
    /// - Parameters:
    ///   - counters: Running totals from the store.
    ///   - journal: Rows waiting for PostgreSQL (nil in embedded mode: no journal to drain).
    ///   - spool: The spool backlog, when it could be read.
    ///   - hosts: Inventory hosts by state (a host never probed counts as online, where every host starts).
    ///   - outbox: Discord messages waiting and given up.
    ///   - now: Ages are measured to it.
    ///   - source: Where the counters came from: `postgres` (the fleet's totals) or `sqlite`
    ///     (this database's rows: embedded mode, or PostgreSQL away).
    public static func stateText(
        counters: StoreCounters, source: String = "sqlite", journal: JournalDepth?, spool: SpoolBacklog?, hosts: [String: Int], outbox: OutboxDepth,
        now: Timestamp
    ) -> String {
        var text = PrometheusText()
        text.family(
            "jarvis_metrics_source", "Where the _total counters were read: postgres (every runner's rows) or sqlite (this runner's database).",
            .gauge,
            [([("source", source)], 1)])
        text.family(
            "jarvis_alerts_total", "Alert events recorded, by triage decision (read from the store).", .counter,
            counters.alertsByDecision.sorted { $0.key < $1.key }.map { ([("decision", $0.key)], Double($0.value)) })
        text.family(
            "jarvis_remediations_total", "Remediation attempts, by tier and outcome (read from the store).", .counter,
            counters.remediations.map { ([("tier", String($0.tier)), ("outcome", $0.outcome)], Double($0.count)) })
        text.single("jarvis_llm_calls_total", "Remediation attempts that called the LLM (tiers 2 and 3).", .counter, Double(counters.llmCalls))
        text.single("jarvis_llm_errors_total", "Remediation attempts whose LLM diagnosis failed.", .counter, Double(counters.llmErrors))
        text.family(
            "jarvis_llm_tokens_total", "LLM tokens used, by direction.", .counter,
            [([("direction", "in")], Double(counters.tokensIn)), ([("direction", "out")], Double(counters.tokensOut))])
        text.single("jarvis_llm_cost_dollars_total", "Estimated LLM cost in US dollars.", .counter, counters.costUSD)
        if let journal {
            text.single("jarvis_journal_rows", "Journal rows waiting for PostgreSQL.", .gauge, Double(journal.rows))
            text.single(
                "jarvis_journal_oldest_age_seconds", "Age of the oldest journal row waiting for PostgreSQL (0 when none).", .gauge,
                journal.oldest.map { max(0, now.seconds(since: $0)) } ?? 0)
        }
        if let spool {
            text.family(
                "jarvis_spool_files", "Files in the spool, by folder.", .gauge,
                [
                    ([("folder", "incoming")], Double(spool.incoming)), ([("folder", "processing")], Double(spool.processing)),
                    ([("folder", "rejected")], Double(spool.rejected)),
                ])
        }
        text.family(
            "jarvis_hosts", "Inventory hosts, by availability state.", .gauge,
            hosts.sorted { $0.key < $1.key }.map { ([("state", $0.key)], Double($0.value)) })
        text.family(
            "jarvis_discord_outbox_messages", "Discord messages in the outbox: pending (waiting to be sent) and dead (given up).", .gauge,
            [([("state", "pending")], Double(outbox.pending)), ([("state", "dead")], Double(outbox.dead))])
        text.single("jarvis_metrics_updated_timestamp_seconds", "When these metrics were read (Unix time).", .gauge, now.epochSeconds)
        return text.text
    }

    /// Reads the store and writes `jarvis_state.prom`.
    ///
    /// - Parameters:
    ///   - configuration: For the inventory and the mode.
    ///   - journal: The local database's counters, depths and host states.
    ///   - spool: The spool backlog, nil when it could not be read.
    ///   - now: The current time.
    ///   - fleet: Reads the fleet's counters from PostgreSQL; nil in embedded mode. When it
    ///     fails the counters come from `journal`, labelled so.
    /// - Throws: `JournalError` or `FileWriteError`.
    public func writeState(
        configuration: JarvisConfiguration, journal: any MetricsReads & JournalStateDocuments, spool: SpoolBacklog?, now: Timestamp,
        fleet: (() throws -> StoreCounters)? = nil
    ) throws {
        var hosts: [String: Int] = [:]
        let document = try HostStateStore(journal: journal, journalRows: false, runner: configuration.runner).load()
        for host in configuration.hosts {
            let state = document.status(of: host.name).state.rawValue.lowercased()
            hosts[state, default: 0] += 1
        }
        let fromFleet = try? fleet?()
        let text = Self.stateText(
            counters: try fromFleet ?? journal.storeCounters(), source: fromFleet == nil ? "sqlite" : "postgres",
            journal: configuration.isEmbedded ? nil : try journal.depth(), spool: spool, hosts: hosts,
            outbox: try journal.outboxDepth(), now: now)
        try write(text, to: stateFile)
    }

    private func write(_ text: String, to path: String) throws {
        if mkdir(directory, 0o755) != 0 && errno != EEXIST {
            throw FileWriteError("cannot create the metrics folder \(directory): \(String(cString: strerror(errno)))")
        }
        try AtomicFile.write(Array(text.utf8), to: path, mode: 0o644, sync: false)
    }
}
