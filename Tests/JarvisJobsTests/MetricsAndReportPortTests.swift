import Foundation
import JarvisCore
import JarvisTestSupport
import Testing

@testable import JarvisJobs

/// The metrics file and the weekly report's choice of source, against in-memory ports.
@Suite struct MetricsAndReportPortTests {
    let t0 = Timestamp(seconds: 1_800_000_000)

    /// The local database's reads, in memory.
    final class LocalReads: MetricsReads, JournalStateDocuments, @unchecked Sendable {
        let documents = InMemoryJournal()
        var counters = StoreCounters()
        var journal = JournalDepth(rows: 0, oldest: nil)
        var outbox = OutboxDepth(pending: 0, oldestPending: nil, dead: 0, delivered: 0)

        func storeCounters() throws -> StoreCounters { counters }
        func depth() throws -> JournalDepth { journal }
        func outboxDepth() throws -> OutboxDepth { outbox }
        func loadState(_ name: String) throws -> String? { try documents.loadState(name) }
        func updateState(_ name: String, now: Timestamp, _ body: (String?) throws -> JournalStateChange) throws {
            try documents.updateState(name, now: now, body)
        }
    }

    func configuration(embedded: Bool) throws -> JarvisConfiguration {
        var configuration = try ConfigurationLoader(environment: [:]).load(ConfigurationOverrides(embedded: true))
        configuration.hosts = [HostDefinition(name: "a", address: "10.0.0.1"), HostDefinition(name: "b", address: "10.0.0.2")]
        if !embedded { configuration.postgres = PostgresSettings() }
        return configuration
    }

    @Test(arguments: [true, false]) func theStateFileCountsHostsByStateAndTheJournalOnlyWithPostgres(embedded: Bool) throws {
        let dir = try TemporaryDirectory()
        let reads = LocalReads()
        reads.counters.alertsByDecision = ["remediate": 2, "suppress": 5]
        reads.journal = JournalDepth(rows: 7, oldest: t0.adding(seconds: -30))
        reads.outbox = OutboxDepth(pending: 1, oldestPending: t0, dead: 2, delivered: 0)
        let store = HostStateStore(journal: reads, journalRows: false, runner: "r")
        let failures = (0..<3).map { HostStateStore.Event(host: "b", event: .probeFailed(error: "down"), at: t0.adding(seconds: Double($0))) }
        _ = try store.record(failures, thresholds: HostStateMachine.Thresholds(offlineAfterFailures: 3, recheckInterval: 300), now: t0)

        let writer = MetricsWriter(directory: dir.file("metrics"))
        try writer.writeState(
            configuration: try configuration(embedded: embedded), journal: reads, spool: SpoolBacklog(incoming: 4, processing: 0, rejected: 1),
            now: t0)
        let text = try String(contentsOfFile: writer.stateFile, encoding: .utf8)
        #expect(text.contains(#"jarvis_hosts{state="offline"} 1"#))
        #expect(text.contains(#"jarvis_hosts{state="online"} 1"#))
        #expect(text.contains(#"jarvis_alerts_total{decision="suppress"} 5"#))
        #expect(text.contains(#"jarvis_spool_files{folder="incoming"} 4"#))
        #expect(text.contains(#"jarvis_discord_outbox_messages{state="dead"} 2"#))
        #expect(text.contains("jarvis_journal_rows 7") == !embedded)
        #expect(text.contains("jarvis_journal_oldest_age_seconds 30") == !embedded)
        #expect(writer.stateIsFresh(now: .wallClock()))
    }

    /// Report figures that are all empty.
    struct EmptyFigures: ReportDatabase {
        func rows(of query: ReportQuery, period: ReportPeriod, limit: Int) throws -> [ReportRow] { [] }
    }

    func job(_ connect: (() throws -> any ReportDatabase)?) throws -> WeeklyReportJob {
        let period = try ReportPeriod(since: t0, until: t0.adding(seconds: 7 * 86_400), timeZone: TimeZone(identifier: "UTC")!)
        return WeeklyReportJob(period: period, journal: EmptyFigures(), connectStore: connect, now: { [t0] in t0 })
    }

    @Test func theReportReadsPostgresThenFallsBackToLocalRowsOnlyWhenItIsUnreachable() throws {
        #expect(try job(nil).build().source == .embedded)
        #expect(try job({ EmptyFigures() }).build().source == .postgres)
        let away = try job({ throw StoreFailure(unreachable: true, description: "unreachable: connection refused") }).build()
        #expect(away.source == .localFallback(reason: "unreachable: connection refused"))
        #expect(throws: StoreFailure.self) {
            try job({ throw StoreFailure(unreachable: false, misconfigured: true, description: "permission denied") }).build()
        }
    }
}
