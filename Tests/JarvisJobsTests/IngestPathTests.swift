import Foundation
import JarvisCore
import JarvisJobs
import JarvisTestSupport
import Testing

/// Ingest → triage → remediation → drain against the in-memory journal, spool, locks and
/// store of record, with an injected clock: the scenarios that need a failure at an exact
/// step (a group commit, a delete, the journal's delete after the store committed).
@Suite struct IngestPathTests {
    /// One runner's world: configuration, the ports, and a clock that tests move.
    final class World: @unchecked Sendable {
        let dir: TemporaryDirectory
        var configuration: JarvisConfiguration
        let journal = InMemoryJournal()
        let spool = InMemorySpool()
        let locks = InMemoryLocks()
        let executor = UnusedExecutor()
        /// Runs the commands instead of `executor`, for scenarios that act.
        var acting: (any RemediationExecutor)?
        /// Builds the diagnosis agent; nil: no LLM.
        var agent: ((Alert) throws -> DiagnosisAgent)?
        /// Discord for the run's dispatcher over the journal's outbox; nil: no dispatcher.
        var discord: ScriptedDiscordTransport?
        let sleeper = RecordingSleeper()
        var clock = TriageFixtures.at(0)
        /// How often a job opened the journal.
        var opens = 0

        init() throws {
            dir = try TemporaryDirectory()
            configuration = JarvisConfiguration()
            configuration.stateDir = dir.path + "/state"
            configuration.runner = "test"
            configuration.hosts = [HostDefinition(name: "vps", address: "192.0.2.2")]
            try FileManager.default.createDirectory(atPath: configuration.stateDir, withIntermediateDirectories: true)
        }

        func job(store: InMemoryStoreOfRecord? = nil) -> IngestJob<InMemoryJournal, InMemorySpool> {
            let now = clock
            var job = IngestJob(
                configuration: configuration, spool: spool,
                journal: {
                    self.opens += 1
                    return self.journal
                }, now: { now }, connectStore: store.map { store in { store } }, executor: acting ?? executor, locks: locks)
            job.journalExists = { self.opens > 0 }
            job.agent = agent
            if let discord {
                job.dispatcher = { [configuration, locks, sleeper] journal in
                    NotificationDispatcher(
                        configuration: configuration, journal: journal, locks: locks, transport: discord, sleeper: sleeper, now: { now })
                }
            }
            return job
        }

        /// Runs one ingest `seconds` after the last.
        func ingest(after seconds: Double = 60, store: InMemoryStoreOfRecord? = nil) throws -> IngestReport {
            clock = clock.adding(seconds: seconds)
            return try job(store: store).run()
        }

        /// A body of `count` distinct alerts numbered from `first` (none routes to a host).
        @discardableResult
        func enqueue(first: Int, count: Int) -> String { spool.enqueue(SyntheticPayloads.group(first: first, count: count)) }

        /// A body of one alert with these labels (firing, from 2026-11-29T03:00:00Z, unless told).
        @discardableResult
        func enqueue(labels: [String: String], status: String = "firing", startsAt: String = "2026-11-29T03:00:00Z") throws -> String {
            let alert: [String: Any] = [
                "status": status, "labels": labels, "annotations": ["summary": "test"], "startsAt": startsAt,
            ]
            return spool.enqueue(try JSONSerialization.data(withJSONObject: ["version": "4", "receiver": "jarvis", "alerts": [alert]]))
        }
    }

    /// `count` decoded alert events, not yet triaged.
    static func events(_ count: Int) throws -> [AlertEvent] {
        let webhook = try AlertmanagerWebhook.decode(Array(SyntheticPayloads.group(first: 0, count: count)))
        return AlertEvent.events(from: webhook, sourceSHA256: "", receivedAt: TriageFixtures.at(0), runner: "test")
    }

    /// Fails every command: these scenarios must never run one.
    final class UnusedExecutor: RemediationExecutor, @unchecked Sendable {
        private let lock = NSLock()
        private var count = 0
        var calls: Int { lock.withLock { count } }

        func execute(_ command: ResolvedCommand, on host: HostDefinition, timeout: Double) -> ExecutionOutcome {
            lock.withLock { count += 1 }
            return ExecutionOutcome(exitStatus: nil, error: "no command may run in this test")
        }
    }

    @Test func goldenPayloadsAreRecordedOnceAndTheirFilesDeleted() throws {
        let world = try World()
        for name in Fixtures.payloadNames { world.spool.enqueue(try Fixtures.payload(name)) }
        let report = try world.ingest()
        #expect(report.files == 7)
        #expect(report.alerts == 20)
        // 03's resolved CPUHigh alert is the same occurrence and status as 02's first alert.
        #expect(report.newEvents == 19)
        #expect(report.duplicates == 1)
        #expect(world.journal.snapshot.events.count == 19)
        #expect(world.spool.folders.incoming.isEmpty && world.spool.folders.processing.isEmpty)
        #expect(world.journal.snapshot.queue.isEmpty, "embedded mode forwards nothing")
        #expect(world.locks.heldPaths.isEmpty, "every lock is released")
    }

    @Test func aResentGroupIsCountedAsDuplicatesAndRecordsNothing() throws {
        let world = try World()
        world.enqueue(first: 0, count: 10)
        #expect(try world.ingest().newEvents == 10)
        world.enqueue(first: 0, count: 10)
        world.enqueue(first: 5, count: 10)  // half old, half new
        let again = try world.ingest()
        #expect(again.newEvents == 5)
        #expect(again.duplicates == 15)
        #expect(world.journal.snapshot.events.map(\.id) == Array(1...15))
    }

    @Test func aFailedGroupCommitRecordsNoneOfItsFilesAndTheNextRunRecordsThemOnce() throws {
        let world = try World()
        world.configuration.ingest.groupFiles = 2
        let names = [world.enqueue(first: 0, count: 5), world.enqueue(first: 5, count: 5), world.enqueue(first: 10, count: 5)]
        world.journal.failNext(.recordFiles)
        #expect(throws: InMemoryJournalFailure.self) { try world.ingest() }
        // The first group failed as a whole: none of its rows, and no file deleted.
        #expect(world.journal.snapshot.events.isEmpty)
        let left = world.spool.folders
        #expect((left.incoming + left.processing).sorted() == names)
        #expect(world.locks.heldPaths.isEmpty)

        let next = try world.ingest()
        #expect(next.reclaimed == left.processing.count)
        #expect(next.newEvents == 15)
        #expect(next.duplicates == 0)
        #expect(world.journal.snapshot.events.count == 15)
        #expect(world.spool.folders.incoming.isEmpty && world.spool.folders.processing.isEmpty)
    }

    @Test func aCrashBetweenTheCommitAndTheDeleteLeavesAFileTheNextRunFindsRecorded() throws {
        let world = try World()
        let name = world.enqueue(first: 0, count: 5)
        world.spool.failComplete(name)
        #expect(throws: InMemorySpoolFailure.self) { try world.ingest() }
        #expect(world.journal.snapshot.events.count == 5, "the commit returned before the delete failed")
        #expect(world.spool.folders.processing == [name])

        let next = try world.ingest()
        #expect(next.reclaimed == 1)
        #expect(next.newEvents == 0)
        #expect(next.duplicates == 5)
        #expect(world.journal.snapshot.events.count == 5)
        #expect(world.spool.folders.processing.isEmpty)
    }

    @Test func theFlushForwardsEveryNewRowOnceInRecordingOrder() throws {
        let world = try World()
        let store = InMemoryStoreOfRecord()
        world.enqueue(first: 0, count: 10)
        let report = try world.ingest(store: store)
        #expect(report.flush?.drained == 10)
        #expect(report.flush?.remaining == 0)
        #expect(store.rows.map(\.key) == world.journal.snapshot.events.map(\.event.idempotencyKey))
        world.enqueue(first: 0, count: 10)
        let resend = try world.ingest(store: store)
        #expect(resend.newEvents == 0)
        #expect(resend.flush?.drained == 0)
        #expect(store.rows.count == 10)
    }

    @Test func eachGroupReachesTheStoreWhileTheNextOnesAreStillToBeRecorded() throws {
        let world = try World()
        world.configuration.ingest.groupFiles = 1
        let store = InMemoryStoreOfRecord()
        for i in 0..<4 { world.enqueue(first: i * 10, count: 10) }
        var job = world.job(store: store)
        var forwardedAfterTheFirstCommit = 0
        job.progress = { done, _ in
            // Reported after the first group's commit, before the second one starts: the flush
            // thread forwards it meanwhile (a flush after the ingest would never).
            guard done == 1 else { return }
            let deadline = Date().addingTimeInterval(10)
            func events() -> Int { store.rows.filter { $0.table == AlertEvent.table }.count }
            while events() < 10, Date() < deadline { usleep(1000) }
            forwardedAfterTheFirstCommit = events()
        }
        let report = try job.run()
        #expect(forwardedAfterTheFirstCommit == 10)
        #expect(report.flush?.drained == store.rows.count, "every journal row once")
        #expect(report.flush?.remaining == 0)
        #expect(report.newEvents == 40)
        #expect(store.rows.filter { $0.table == AlertEvent.table }.map(\.key) == world.journal.snapshot.events.map(\.event.idempotencyKey))
        #expect(world.journal.snapshot.activity.count == 1, "one flush, noted once")
    }

    @Test func aStoreThatFailsDuringTheIngestLeavesTheRestForADrainWhichForwardsEachRowOnce() throws {
        let world = try World()
        world.configuration.ingest.groupFiles = 1
        let store = InMemoryStoreOfRecord()
        store.failAfter = 1
        for i in 0..<4 { world.enqueue(first: i * 10, count: 10) }
        let report = try world.ingest(store: store)
        #expect(report.newEvents == 40, "ingest goes on recording")
        #expect(report.flush?.failure?.unreachable == true)
        #expect(report.isDegraded)
        let forwarded = store.rows.count
        #expect(forwarded > 0)
        #expect(try world.journal.depth().rows == report.flush?.remaining, "what the flush left counts the groups recorded after it")

        store.failAfter = nil
        let drain = try DrainJob(journal: world.journal, batchSize: 7, connect: { store }).run()
        #expect(drain.inserted == drain.drained)
        #expect(store.rows.count == forwarded + drain.drained)
        #expect(store.rows.filter { $0.table == AlertEvent.table }.map(\.key) == world.journal.snapshot.events.map(\.event.idempotencyKey))
        #expect(try world.journal.depth().rows == 0)
    }

    @Test func withTheStoreAwayTheRowsWaitAndTheRunIsDegradedUntilADrain() throws {
        let world = try World()
        let store = InMemoryStoreOfRecord()
        store.unreachable = true
        world.enqueue(first: 0, count: 10)
        let report = try world.ingest(store: store)
        #expect(report.flush?.failure?.unreachable == true)
        #expect(report.isDegraded)
        #expect(try world.journal.depth().rows == 10)

        store.unreachable = false
        let drain = try DrainJob(journal: world.journal, batchSize: 4, connect: { store }).run()
        #expect(drain.drained == 10)
        #expect(drain.batches == 3)
        #expect(drain.remaining == 0)
        #expect(store.rows.map(\.key) == world.journal.snapshot.events.map(\.event.idempotencyKey))
        #expect(world.journal.snapshot.activity.map(\.degraded) == [true, false])
    }

    @Test func aCrashAfterTheStoreCommittedBatchesReplaysThemWithoutDuplicates() throws {
        let world = try World()
        let store = InMemoryStoreOfRecord()
        let events = try Self.events(10)
        _ = try world.journal.recordFiles([events], forward: true, now: world.clock, triageRows: [], generation: 0)
        world.journal.failNext(.removeEntries)
        var drain = DrainJob(journal: world.journal, batchSize: 4, connect: { store })
        drain.removalRows = 8
        #expect(throws: InMemoryJournalFailure.self) { try drain.run() }
        #expect(store.rows.count == 8, "two batches were committed before their removal failed")
        #expect(try world.journal.depth().rows == 10, "both batches stay in the journal")

        let replay = try DrainJob(journal: world.journal, batchSize: 4, connect: { store }).run()
        #expect(replay.drained == 10)
        #expect(replay.inserted == 2)
        #expect(store.rows.map(\.key) == events.map(\.idempotencyKey))
    }

    @Test func committedRowsLeaveTheJournalEveryRemovalRowsAndAtTheEnd() throws {
        let world = try World()
        let store = InMemoryStoreOfRecord()
        let events = try Self.events(10)
        _ = try world.journal.recordFiles([events], forward: true, now: world.clock, triageRows: [], generation: 0)
        var drain = DrainJob(journal: world.journal, batchSize: 2, connect: { store })
        drain.removalRows = 4
        var depths: [Int] = []
        drain.progress = { _, _ in depths.append((try? world.journal.depth().rows) ?? -1) }
        let report = try drain.run()
        #expect(depths == [10, 6, 6, 2, 2], "removed after every second batch, read past until then")
        #expect(report.drained == 10)
        #expect(report.remaining == 0)
        #expect(store.rows.map(\.key) == events.map(\.idempotencyKey), "each row forwarded once, in order")
    }

    @Test func aStoreThatFailsMidwayKeepsTheRestInOrderForTheNextDrain() throws {
        let world = try World()
        let store = InMemoryStoreOfRecord()
        store.failAfter = 1
        let events = try Self.events(5)
        _ = try world.journal.recordFiles([events], forward: true, now: world.clock, triageRows: [], generation: 0)
        let first = try DrainJob(journal: world.journal, batchSize: 2, connect: { store }).run()
        #expect(first.drained == 2)
        #expect(first.remaining == 3)
        #expect(first.failure?.unreachable == true)
        store.failAfter = nil
        let second = try DrainJob(journal: world.journal, batchSize: 2, connect: { store }).run()
        #expect(second.drained == 3)
        #expect(store.rows.map(\.key) == events.map(\.idempotencyKey))
    }

    @Test func aSecondIngestWaitsForTheLockAndSaysWhoHoldsIt() throws {
        let world = try World()
        let held = try #require(try world.locks.acquire(world.configuration.lockPath("ingest"), timeout: 0))
        world.enqueue(first: 0, count: 1)
        let busy = try #require(throws: IngestError.self) { try world.ingest() }
        #expect(busy.description.contains("another ingest run (pid \(getpid())) holds the ingest lock"), "\(busy)")
        #expect(world.spool.folders.incoming.count == 1, "nothing was claimed")
        held.release()
        #expect(try world.ingest().newEvents == 1)
    }

    @Test func maintenanceSuppressesAndCountsAndAnActionableAlertIsEscalatedOnce() throws {
        let world = try World()
        world.journal.addWindow(
            MaintenanceWindow(
                id: 1, host: "vps", reason: "upgrade", author: "test", startsAt: world.clock, endsAt: world.clock.adding(seconds: 600)))
        try world.enqueue(labels: ["alertname": "ContainerDown", "host": "vps", "container": "nginx", "severity": "critical"])
        let during = try world.ingest()
        #expect(during.triage?.byDecision["suppressed:maintenance"] == 1)
        #expect(world.journal.snapshot.windows.first?.suppressedCount == 1)
        #expect(world.journal.snapshot.remediations.isEmpty)

        // After the window: the parked alert is triaged again, and a new one fires; with no
        // pattern and no LLM, each is escalated to a person.
        world.clock = world.clock.adding(seconds: 3600)
        try world.enqueue(labels: ["alertname": "ContainerDown", "host": "vps", "container": "web", "severity": "critical"])
        let after = try world.ingest()
        #expect(after.triage?.reevaluated == 1)
        #expect(after.triage?.byDecision["actionable"] == 2)
        let items = after.remediation?.items ?? []
        #expect(items.map(\.kind) == [.escalated, .escalated])
        #expect(items.allSatisfy { $0.reason.contains("no LLM is configured") })
        #expect(world.journal.snapshot.remediations.map(\.outcome) == [.escalated, .escalated])
        #expect(world.journal.snapshot.windows.first?.endedAt != nil)

        // A resend of the same notification is deduplicated: nothing is attempted again.
        try world.enqueue(labels: ["alertname": "ContainerDown", "host": "vps", "container": "web", "severity": "critical"])
        let resend = try world.ingest()
        #expect(resend.duplicates == 1)
        #expect(resend.remediation?.items.isEmpty ?? true)
        #expect(world.journal.snapshot.remediations.count == 2)
        #expect(world.executor.calls == 0)
    }

    @Test func anEmptySpoolAfterFinishedWorkSkipsTheJournal() throws {
        let world = try World()
        world.enqueue(first: 0, count: 3)
        _ = try world.ingest()
        let opened = world.opens
        let idle = try world.ingest()
        #expect(idle.idle)
        #expect(world.opens == opened, "the journal was not opened")
    }

    @Test func anInterruptedRunsDecisionsAreReplayedIntoTheStateOnce() throws {
        let world = try World()
        world.enqueue(first: 0, count: 4)
        world.journal.failNext(.commitTriage)
        #expect(throws: InMemoryJournalFailure.self) { try world.ingest() }
        // The events are recorded with their decisions; the state that folds them is not.
        #expect(world.journal.snapshot.events.count == 4)
        #expect(try world.journal.loadState(TriageSession.documentName) == nil)

        world.enqueue(first: 0, count: 4)
        let next = try world.ingest()
        #expect(next.triage?.replayed == 4)
        #expect(next.duplicates == 4)
        #expect(try world.journal.loadState(TriageSession.documentName) != nil)
        let after = try world.ingest()
        #expect(after.triage?.replayed ?? 0 == 0, "replayed once")
    }
}
