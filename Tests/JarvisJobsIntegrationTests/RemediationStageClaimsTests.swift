import Foundation
import GRDB
import JarvisCore
import JarvisJobs
import JarvisSQLite
import JarvisSSH
import JarvisSpool
import JarvisTestSupport
import Testing

/// The claim hook of the remediation stage on the in-memory coordination port: full ingest
/// runs of two runners (own spool and journal each) fed the same alert.
@Suite struct RemediationStageClaimsTests {
    struct Runner {
        let dir: TemporaryDirectory
        var configuration: JarvisConfiguration
        let spool: SpoolDirectory
        let journal: JournalDatabase

        init(_ name: String, mode: RunnerSettings.Mode = .shared) throws {
            dir = try TemporaryDirectory()
            var configuration = try JarvisConfiguration.inFolder(dir, runner: name)
            configuration.runnerSettings.mode = mode
            configuration.hosts = [HostDefinition(name: "web1", address: "192.0.2.2")]
            self.configuration = configuration
            spool = try SpoolDirectory(root: configuration.spoolDir)
            journal = try JournalDatabase(path: configuration.journalPath)
        }

        /// Enqueues the alert and runs one ingest (dry-run, no LLM: a won claim is recorded as
        /// escalated to a person, since nothing can plan the fix).
        func ingest(_ coordination: any RunnerCoordination) throws -> IngestReport {
            let alert: [String: Any] = [
                "status": "firing", "labels": ["alertname": "DiskFull", "host": "web1", "severity": "warning"], "annotations": [:],
                "startsAt": "2026-12-06T00:00:00Z",
            ]
            try spool.enqueue(try JSONSerialization.data(withJSONObject: ["version": "4", "receiver": "jarvis", "alerts": [alert]]))
            var job = IngestJob(
                configuration: configuration, spool: spool, journal: { journal }, now: { Timestamp.wallClock() }, connectStore: nil,
                executor: LiveRemediationExecutor(settings: SSHSettings(), sleeper: RecordingSleeper()), locks: FileLocks())
            job.coordination = coordination
            return try job.run()
        }
    }

    @Test func theRunnerThatLosesTheClaimRecordsWhoHoldsItAndDoesNothing() throws {
        let coordination = InMemoryRunnerCoordination()
        let a = try Runner("a")
        let b = try Runner("b")
        let first = try #require(try a.ingest(coordination).remediation?.items.first)
        #expect(first.kind == .escalated && first.key == "remediation/\(first.occurrence)/firing#1")
        let second = try #require(try b.ingest(coordination).remediation?.items.first)
        #expect(second.kind == .deduplicated)
        #expect(second.reason == "deduplicated: claimed by runner a")
        #expect(coordination.claimCalls == 2)
        #expect(try b.journal.remediations(where: .all).isEmpty, "no attempt row on the loser")
        let decision = try b.journal.read { try String.fetchOne($0, sql: "SELECT decision_reason FROM triage_decisions") }
        #expect(decision == "deduplicated: claimed by runner a")
    }

    @Test func withoutTheStoreASharedRunnerEscalatesAndASingleOneGoesOn() throws {
        let coordination = InMemoryRunnerCoordination()
        coordination.unreachable = true
        let shared = try #require(try Runner("a", mode: .shared).ingest(coordination).remediation?.items.first)
        #expect(shared.kind == .escalated && shared.reason.hasPrefix("not acting: PostgreSQL cannot be asked"), "\(shared.reason)")
        let single = try #require(try Runner("b", mode: .single).ingest(coordination).remediation?.items.first)
        #expect(single.kind == .escalated && single.reason.contains("no LLM is configured"), "it went on to plan: \(single.reason)")
        #expect(single.key.hasSuffix("#1"), "numbered from its own journal")
    }
}
