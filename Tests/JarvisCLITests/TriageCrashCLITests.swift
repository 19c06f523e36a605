import Foundation
import GRDB
import JarvisSQLite
import JarvisTestSupport
import Testing

/// `jarvis ingest` killed with SIGKILL at random moments, in embedded mode: every alert is
/// recorded once with its decision, and the triage state the runs leave behind is the state
/// of one clean run (no row of a killed run survives, every processed key is there, none
/// twice). That a replayed alert meets the state it met the first time, so its side effects
/// happen, is checked in `TriageRowsTests` (here the alerts are unroutable: no side effects).
@Suite(.serialized, .timeLimit(.minutes(10))) struct TriageCrashCLITests {
    let dir: TemporaryDirectory

    init() throws { dir = try TemporaryDirectory() }

    var env: [String: String] { ["JARVIS_SPOOL_DIR": dir.file("spool"), "JARVIS_STATE_DIR": dir.file("state")] }

    @Test func sigkillAtRandomMomentsLeavesTheTriageStateOfOneCleanRun() throws {
        let files = 60
        let perFile = 50
        // Every third file resends 10 alerts of the one before, as an overlapping group would.
        func first(_ i: Int) -> Int { i * perFile - (i % 3 == 2 ? 10 : 0) }
        var bodies: [Data] = []
        var numbers = Set<Int>()
        for i in 0..<files {
            bodies.append(SyntheticPayloads.group(first: first(i), count: perFile))
            numbers.formUnion(first(i)..<(first(i) + perFile))
        }
        func enqueueAll() throws {
            for body in bodies {
                let result = try JarvisProcess.run(["enqueue", "-"], environment: env, stdin: body)
                try #require(result.exitCode == 0, "\(result.stderr)")
            }
        }
        try enqueueAll()

        var generator = SystemRandomNumberGenerator()
        var killed = 0
        for _ in 0..<30 {
            let process = try JarvisProcess.start(["ingest"], environment: env)
            usleep(UInt32.random(in: 2_000...150_000, using: &generator))
            process.kill(SIGKILL)
            if process.wait().signaled { killed += 1 }
        }
        let finish = try JarvisProcess.run(["ingest"], environment: env)
        #expect(finish.exitCode == 0, "\(finish.stdout) \(finish.stderr)")
        #expect(killed > 5, "only \(killed) runs were killed mid-way; the test proves little")

        let journal = try JournalDatabase(path: dir.file("state/jarvis.sqlite"))
        #expect(try journal.count("alert_events") == numbers.count)
        let undecided = try journal.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM alert_events WHERE decision IS NULL") }
        #expect(undecided == 0)
        // One row per occurrence and per alert key (host0…host96), none left by a killed run.
        #expect(try journal.triageRowCount() == numbers.count + 97)
        let document = try #require(try journal.loadState("triage"))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(document.utf8)) as? [String: Any])
        let committed = try #require(object["generation"] as? Int)
        let newer = try journal.read {
            try Int.fetchOne($0, sql: "SELECT count(*) FROM triage_rows WHERE generation > ?", arguments: [committed])
        }
        #expect(newer == 0)

        // Every processed key is there: the same notifications again (within the 5 min
        // cooldown) are all duplicates to triage, not only to the journal.
        try enqueueAll()
        let again = try JarvisProcess.run(["ingest", "--list"], environment: env)
        #expect(again.exitCode == 0, "\(again.stderr)")
        #expect(again.stdout.contains("triage: deduplicated \(files * perFile)"), "\(again.stdout.prefix(2000))")
    }
}
