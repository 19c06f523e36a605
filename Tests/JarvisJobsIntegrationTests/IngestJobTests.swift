import Foundation
import JarvisCore
import JarvisJobs
import JarvisSQLite
import JarvisSSH
import JarvisSpool
import JarvisTestSupport
import Testing

/// Ingest against a real spool folder and a real SQLite file, embedded mode (no PostgreSQL).
@Suite struct IngestJobTests {
    struct Setup {
        let dir: TemporaryDirectory
        let configuration: JarvisConfiguration
        let spool: SpoolDirectory
        let journal: JournalDatabase

        init(journaled: Bool = false) throws {
            dir = try TemporaryDirectory()
            configuration = try JarvisConfiguration.inFolder(dir)
            spool = try SpoolDirectory(root: configuration.spoolDir)
            journal = try JournalDatabase(path: configuration.journalPath)
        }

        func job(clock: Int64 = 1_800_000_000) -> IngestJob<JournalDatabase, SpoolDirectory> {
            IngestJob(
                configuration: configuration, spool: spool, journal: { journal }, now: { Timestamp(seconds: clock) }, connectStore: nil,
                executor: LiveRemediationExecutor(settings: SSHSettings(), sleeper: RecordingSleeper()), locks: FileLocks())
        }
    }

    @Test func allGoldenPayloadsAreRecorded() throws {
        let setup = try Setup()
        for name in Fixtures.payloadNames { try setup.spool.enqueue(try Fixtures.payload(name)) }
        let report = try setup.job().run()
        #expect(report.files == 7)
        #expect(report.rejected.isEmpty)
        #expect(report.alerts == 20)
        // 03's resolved CPUHigh alert is the same occurrence and status as 02's first alert.
        #expect(report.newEvents == 19)
        #expect(report.duplicates == 1)
        #expect(try setup.journal.count("alert_events") == 19)
        #expect(try setup.spool.backlog() == SpoolBacklog(incoming: 0, processing: 0, rejected: 0))
        #expect(try setup.journal.count("journal") == 0, "embedded mode journals nothing for PostgreSQL")
    }

    @Test func badFilesAreRejectedWithReasonsWhileTheRestOfTheBatchIsIngested() throws {
        let setup = try Setup()
        let spool = setup.spool
        try spool.enqueue(try Fixtures.payload("07-alertmanager-0.25-captured-here.json"))
        FileManager.default.createFile(atPath: spool.incoming + "/1-malformed.json", contents: Data("{\"alerts\": [".utf8))
        FileManager.default.createFile(
            atPath: spool.incoming + "/2-wrong-types.json",
            contents: Data(#"{"alerts":[{"status":"firing","labels":{"alertname":42},"startsAt":"2026-01-01T00:00:00Z"}]}"#.utf8))
        FileManager.default.createFile(atPath: spool.incoming + "/3-empty.json", contents: Data())
        FileManager.default.createFile(atPath: spool.incoming + "/4-huge.json", contents: Data(repeating: 0x20, count: 2 << 20))
        try FileManager.default.createSymbolicLink(atPath: spool.incoming + "/5-link.json", withDestinationPath: "/etc/passwd")
        try FileManager.default.createDirectory(atPath: spool.incoming + "/6-dir.json", withIntermediateDirectories: false)
        try spool.enqueue(try Fixtures.payload("01-multi-alert-firing-empty-grouplabels.json"))

        let report = try setup.job().run()

        let reasons = Dictionary(uniqueKeysWithValues: report.rejected.map { ($0.file, $0.reason) })
        #expect(reasons.count == 6)
        #expect(reasons["1-malformed.json"]?.hasPrefix("invalid JSON") == true)
        #expect(reasons["2-wrong-types.json"] == "alerts[0].labels.alertname: expected a string")
        #expect(reasons["3-empty.json"] == "the file is empty")
        #expect(reasons["4-huge.json"] == "is 2097152 bytes, over the 1048576-byte limit")
        #expect(reasons["5-link.json"] == "is a symbolic link (not followed)")
        #expect(reasons["6-dir.json"] == "is a directory, not a regular file")
        for (file, reason) in reasons {
            #expect(try String(contentsOfFile: spool.rejected + "/\(file).reason", encoding: .utf8) == reason + "\n")
        }
        #expect(try setup.journal.count("alert_events") == 9)
        #expect(try spool.backlog() == SpoolBacklog(incoming: 0, processing: 0, rejected: 6))
    }

    @Test func sameBodyThreeTimesAndAnOverlappingResendYieldOneRowPerOccurrenceAndStatus() throws {
        let setup = try Setup()
        let body = SyntheticPayloads.group(first: 0, count: 50)
        for _ in 0..<3 { try setup.spool.enqueue(body) }
        try setup.spool.enqueue(SyntheticPayloads.group(first: 25, count: 50))  // group resend with 25 new alerts
        try setup.spool.enqueue(SyntheticPayloads.group(first: 0, count: 10, status: "resolved"))
        let report = try setup.job().run()
        #expect(report.alerts == 210)
        #expect(report.newEvents == 85)
        #expect(try setup.journal.count("alert_events") == 85)
        // A second ingest of the same bodies adds nothing.
        for _ in 0..<2 { try setup.spool.enqueue(body) }
        #expect(try setup.job().run().newEvents == 0)
        #expect(try setup.journal.count("alert_events") == 85)
    }

    @Test func leftoversOfACrashedRunAreReclaimed() throws {
        let setup = try Setup()
        let name = try setup.spool.enqueue(try Fixtures.payload("07-alertmanager-0.25-captured-here.json"))
        #expect(try setup.spool.claim(name))  // a run claimed it, then died
        let report = try setup.job().run()
        #expect(report.reclaimed == 1)
        #expect(report.newEvents == 1)
        #expect(try setup.spool.backlog() == SpoolBacklog(incoming: 0, processing: 0, rejected: 0))
    }

    @Test func aCrashAfterCommitBeforeDeleteDoesNotDuplicate() throws {
        // Given a file whose rows were committed but which was not deleted (kill -9 in between)
        let setup = try Setup(journaled: true)
        let body = try Fixtures.payload("01-multi-alert-firing-empty-grouplabels.json")
        let name = try setup.spool.enqueue(body)
        #expect(try setup.spool.claim(name))
        let webhook = try AlertmanagerWebhook.decode(body)
        let events = AlertEvent.events(from: webhook, sourceSHA256: SHA256.hex(Array(body)), receivedAt: Timestamp(seconds: 1), runner: "t")
        _ = try setup.journal.record(events, forward: true, now: Timestamp(seconds: 1))
        // When the next run reclaims and re-ingests it
        let report = try setup.job().run()
        // Then nothing is recorded or journaled twice
        #expect(report.newEvents == 0)
        #expect(report.duplicates == 8)
        #expect(try setup.journal.count("alert_events") == 8)
        #expect(try setup.journal.count("journal") == 8)
    }

    @Test func anotherRunHoldingTheLockMakesIngestWaitThenGiveUp() throws {
        let setup = try Setup()
        var configuration = setup.configuration
        configuration.ingest.lockTimeout = 0.2
        let lock = try #require(try FileLock.acquire(configuration.lockPath("ingest"), timeout: 0))
        let job = IngestJob(
            configuration: configuration, spool: setup.spool, journal: { setup.journal }, now: { Timestamp(seconds: 0) }, connectStore: nil,
            executor: LiveRemediationExecutor(settings: SSHSettings(), sleeper: RecordingSleeper()), locks: FileLocks())
        #expect(throws: IngestError.self) { try job.run() }
        lock.release()
        #expect(try job.run().files == 0)
    }

    @Test func stopRequestFinishesTheCurrentFileAndLeavesTheRest() throws {
        let setup = try Setup()
        for i in 0..<5 { try setup.spool.enqueue(SyntheticPayloads.group(first: i * 10, count: 10)) }
        var job = setup.job()
        job.configuration.ingest.groupFiles = 1
        // Checked before each file: the stop arrives while the second file's group may
        // still be committing on the second thread; it is committed, the rest stay.
        var checks = 0
        job.shouldStop = {
            checks += 1
            return checks > 2
        }
        let report = try job.run()
        #expect(report.files == 2)
        #expect(report.committedFiles == 2)
        #expect(report.stoppedEarly)
        #expect(try setup.spool.backlog().incoming == 3)
        #expect(try setup.journal.count("alert_events") == 20)
    }

    @Test func groupCommitSizeComesFromTheConfigAndOneFilePerCommitRecordsTheSame() throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("jarvis.yml")
        try "ingest:\n  group_files: 1\n  group_alerts: 0\n".write(toFile: path, atomically: true, encoding: .utf8)
        let (loaded, problems) = ConfigurationLoader(environment: [:]).loadReportingProblems(ConfigurationOverrides(configFile: path))
        #expect(loaded.ingest.groupFiles == 1)
        #expect(problems.map(\.keyPath) == ["ingest.group_alerts"], "\(problems)")

        let setup = try Setup()
        for i in 0..<12 { try setup.spool.enqueue(SyntheticPayloads.group(first: i * 10, count: 10)) }
        var job = setup.job()
        job.configuration.ingest.groupFiles = loaded.ingest.groupFiles
        var commits: [Int] = []
        job.progress = { done, _ in commits.append(done) }
        let report = try job.run()
        #expect(commits == Array(1...12), "one commit per file")
        #expect(report.newEvents == 120)
        #expect(try setup.journal.count("alert_events") == 120)
        #expect(try setup.journal.triageRowCount() == 120 + 97, "every occurrence and alert key has its row")
    }

    @Test func filesReadAheadButNotTriagedGoBackToIncomingOnAStop() throws {
        let setup = try Setup()
        for i in 0..<40 { try setup.spool.enqueue(SyntheticPayloads.group(first: i * 10, count: 10)) }
        var job = setup.job()
        var checks = 0
        var claimedAtTheStop = 0
        job.shouldStop = {
            checks += 1
            if checks == 2 {
                // Let the reader claim as far ahead as it may: the file in hand and four more.
                func claimed() -> Int { (try? setup.spool.backlog().processing) ?? 0 }
                let deadline = Date().addingTimeInterval(10)
                while claimed() < 5 && Date() < deadline { usleep(1000) }
                claimedAtTheStop = claimed()
            }
            return checks > 2
        }
        let report = try job.run()
        #expect(claimedAtTheStop >= 5, "files were read ahead of triage when it stopped")
        #expect(report.files == 2 && report.stoppedEarly)
        #expect(try setup.spool.backlog().incoming == 38, "nothing left claimed in processing/")
        #expect(try setup.spool.leftovers().isEmpty)
        #expect(try setup.journal.count("alert_events") == 20)
        // The next run takes the rest, each file once.
        let rest = try setup.job().run()
        #expect(rest.files == 38 && rest.newEvents == 380)
    }
}
