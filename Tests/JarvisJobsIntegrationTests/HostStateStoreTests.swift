import Foundation
import JarvisCore
import JarvisJobs
import JarvisSQLite
import JarvisTestSupport
import Testing

@Suite struct HostStateStoreTests {
    let t0 = Timestamp(seconds: 1_800_000_000)
    let thresholds = HostStateMachine.Thresholds(offlineAfterFailures: 3, recheckInterval: 300)

    func failed(_ host: String, _ offset: Double, _ error: String = "probe: connection refused") -> HostStateStore.Event {
        HostStateStore.Event(host: host, event: .probeFailed(error: error), at: t0.adding(seconds: offset))
    }

    @Test func threeFailuresInSeparateUpdatesGiveOneTransitionAndOneJournalRowWithPostgres() throws {
        let dir = try TemporaryDirectory()
        let journal = try JournalDatabase(path: dir.file("j.sqlite"))
        let store = HostStateStore(journal: journal, journalRows: true, runner: "r1")
        // Given three runs, each a separate process-like update
        var transitions: [HostTransition] = []
        for run in 0..<3 {
            let changes = try store.record([failed("vps", Double(run) * 60)], thresholds: thresholds, now: t0.adding(seconds: Double(run) * 60))
            transitions += changes.compactMap(\.transition)
        }
        // Then exactly one transition, at the third failure
        #expect(transitions.count == 1)
        #expect(transitions.first?.from == .online && transitions.first?.to == .offline)
        #expect(transitions.first?.at == t0.adding(seconds: 120))
        #expect(transitions.first?.consecutiveFailures == 3)
        // And one journal row for host_status_log with the table's columns and lower-case states
        let entries = try journal.pendingEntries(limit: 10)
        #expect(entries.count == 1)
        let entry = try #require(entries.first)
        #expect(entry.table == "host_status_log")
        #expect(entry.idempotencyKey == "host-status:vps:\(t0.adding(seconds: 120).rfc3339):offline")
        let row = try #require(try JSONSerialization.jsonObject(with: Data(entry.json.utf8)) as? [String: Any])
        #expect(
            Set(row.keys) == [
                "idempotency_key", "host", "from_state", "to_state", "error", "consecutive_failures", "last_success_at", "changed_at", "runner",
            ])
        #expect(row["from_state"] as? String == "online")
        #expect(row["to_state"] as? String == "offline")
        #expect(row["error"] as? String == "probe: connection refused")
        #expect(row["consecutive_failures"] as? Int == 3)
        #expect(row["last_success_at"] is NSNull)
        #expect(row["runner"] as? String == "r1")
        // And the state and its history survive a reopen (a new process)
        let reopened = HostStateStore(journal: try JournalDatabase(path: dir.file("j.sqlite")), journalRows: true, runner: "r2")
        let document = try reopened.load()
        #expect(document.status(of: "vps").state == .offline)
        #expect(document.status(of: "vps").consecutiveFailures == 3)
        #expect(document.history == transitions)
    }

    @Test func embeddedModeKeepsTransitionsInTheHistoryAndWritesNoJournalRow() throws {
        let dir = try TemporaryDirectory()
        let journal = try JournalDatabase(path: dir.file("j.sqlite"))
        let store = HostStateStore(journal: journal, journalRows: false, runner: "r")
        let changes = try store.record([failed("a", 0), failed("a", 1), failed("a", 2)], thresholds: thresholds, now: t0)
        #expect(changes.compactMap(\.transition).count == 1)
        #expect(try journal.depth().rows == 0)
        #expect(try store.load().history.count == 1)
    }

    @Test func historyKeepsTheLastThousandTransitions() throws {
        var document = HostStateDocument()
        let transitions = (0..<1_205).map {
            HostTransition(
                host: "h", from: .online, to: .offline, at: t0.adding(seconds: Double($0)), error: nil, consecutiveFailures: 3, lastSuccessAt: nil)
        }
        document.appendHistory(Array(transitions[..<700]))
        document.appendHistory(Array(transitions[700...]))
        #expect(document.history.count == HostStateDocument.historyLimit)
        #expect(document.history.first == transitions[205])
        #expect(document.history.last == transitions.last)
    }

    @Test func eventsApplyToTheStateStoredNowSoTwoWritersLoseNoFailure() throws {
        let dir = try TemporaryDirectory()
        // Given two connections to one file, as two processes would have
        let first = HostStateStore(journal: try JournalDatabase(path: dir.file("j.sqlite")), journalRows: true, runner: "a")
        let second = HostStateStore(journal: try JournalDatabase(path: dir.file("j.sqlite")), journalRows: true, runner: "b")
        // When both read the same state, then record failures one after the other
        _ = try first.load()
        _ = try second.load()
        _ = try first.record([failed("db1", 0), failed("db1", 1)], thresholds: thresholds, now: t0)
        let changes = try second.record([failed("db1", 2)], thresholds: thresholds, now: t0)
        // Then the second builds on the first: the third failure makes the host OFFLINE once
        #expect(changes.first?.before.consecutiveFailures == 2)
        #expect(changes.first?.transition?.to == .offline)
        #expect(try first.load().status(of: "db1").state == .offline)
        #expect(try JournalDatabase(path: dir.file("j.sqlite")).depth().rows == 1)
    }

    @Test func concurrentWritersFromManyThreadsCountEveryFailure() async throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("j.sqlite")
        _ = try JournalDatabase(path: path)
        let lenient = HostStateMachine.Thresholds(offlineAfterFailures: 1_000, recheckInterval: 300)
        let t0 = self.t0
        // Four threads (off the cooperative pool: SQLite busy waits block), each its own connection
        let errors = try await OffPool.run { () -> [String] in
            final class Errors: @unchecked Sendable {
                let lock = NSLock()
                var list: [String] = []
            }
            let errors = Errors()
            DispatchQueue.concurrentPerform(iterations: 4) { writer in
                do {
                    let store = HostStateStore(journal: try JournalDatabase(path: path), journalRows: false, runner: "w\(writer)")
                    for index in 0..<25 {
                        let event = HostStateStore.Event(host: "h", event: .probeFailed(error: "x"), at: t0.adding(seconds: Double(index)))
                        _ = try store.record([event], thresholds: lenient, now: t0)
                    }
                } catch {
                    errors.lock.withLock { errors.list.append("\(error)") }
                }
            }
            return errors.lock.withLock { errors.list }
        }
        #expect(errors.isEmpty)
        let store = HostStateStore(journal: try JournalDatabase(path: path), journalRows: false, runner: "r")
        #expect(try store.load().status(of: "h").consecutiveFailures == 100)
    }

    @Test func aCorruptDocumentIsAJournalErrorThatSaysHowToRecover() throws {
        let dir = try TemporaryDirectory()
        let journal = try JournalDatabase(path: dir.file("j.sqlite"))
        try journal.saveState("hosts", json: #"{"version": 1, "hosts": 5}"#, at: t0)
        let store = HostStateStore(journal: journal, journalRows: false, runner: "r")
        #expect {
            try store.load()
        } throws: { error in
            "\(error)".contains("delete that row") && error is JournalError
        }
        // And nothing is written when recording fails
        #expect(throws: JournalError.self) { try store.record([failed("a", 0)], thresholds: thresholds, now: t0) }
        #expect(try journal.loadState("hosts") == #"{"version": 1, "hosts": 5}"#)
    }

    @Test func updateStateWritesTheDocumentAndRowsTogetherAndNothingWhenTheBodyThrows() throws {
        let dir = try TemporaryDirectory()
        let journal = try JournalDatabase(path: dir.file("j.sqlite"))
        struct Boom: Error {}
        #expect(throws: Boom.self) {
            try journal.updateState("hosts", now: t0) { _ in
                throw Boom()
            }
        }
        try journal.updateState("other", now: t0) { stored in
            #expect(stored == nil)
            return JournalStateChange(json: "{}", rows: [JournalAppend(table: "host_status_log", idempotencyKey: "k", json: "{}")])
        }
        #expect(try journal.loadState("other") == "{}")
        #expect(try journal.loadState("hosts") == nil)
        #expect(try journal.depth().rows == 1)
    }
}
