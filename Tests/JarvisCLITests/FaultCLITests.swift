import Foundation
import JarvisCore
import JarvisTestSupport
import Testing

/// Storage faults through the real binary, with real mounts (root): a full disk under the
/// spool and under the state folder, a damaged journal, a read-only state folder. Each is
/// exit 74 with one clear line, loses nothing accepted, and never recreates a journal over
/// one it cannot read.
@Suite(.serialized, .enabled(if: ServerGate.runs(whenAvailable: geteuid() == 0)), .timeLimit(.minutes(3)))
struct FaultCLITests {
    let dir: TemporaryDirectory

    init() throws {
        dir = try TemporaryDirectory()
    }

    func env(spool: String? = nil, state: String? = nil) -> [String: String] {
        ["JARVIS_SPOOL_DIR": spool ?? dir.file("spool"), "JARVIS_STATE_DIR": state ?? dir.file("state")]
    }

    /// One webhook body of `count` alerts of about 700 bytes each, named after `file`.
    static func body(file: Int, count: Int = 100) throws -> Data {
        let alerts: [[String: Any]] = (0..<count).map { index in
            [
                "status": "firing", "startsAt": "2026-11-29T03:00:00Z",
                "labels": ["alertname": "Fault\(file)_\(index)", "host": "web1", "padding": String(repeating: "p", count: 300)],
                "annotations": ["summary": String(repeating: "s", count: 300)],
            ]
        }
        return try JSONSerialization.data(withJSONObject: ["version": "4", "receiver": "jarvis", "alerts": alerts])
    }

    static func lines(_ text: String) -> [String] { text.split(separator: "\n").map(String.init) }

    /// The names in `folder`; a folder that cannot be listed throws rather than reading as empty.
    func files(_ folder: String) throws -> [String] { try FileManager.default.contentsOfDirectory(atPath: folder) }

    // MARK: - A full disk

    @Test func enqueueOnAFullDiskExits74WithOneLineAndKeepsWhatItAccepted() throws {
        let mount = try TestMount.tmpfs(at: dir.file("spool"), size: "256k")
        defer { mount.unmount() }
        let env = env()
        var accepted = 0
        var refused: JarvisProcess.Result?
        for file in 0..<20 {
            let result = try JarvisProcess.run(["enqueue", "-"], environment: env, stdin: try Self.body(file: file))
            if result.exitCode == 0 {
                accepted += 1
            } else {
                refused = result
                break
            }
        }
        let full = try #require(refused, "256 KiB must fill up")
        #expect(full.exitCode == 74)
        #expect(Self.lines(full.stderr).count == 1, "one line: \(full.stderr)")
        #expect(full.stderr.contains("No space left on device"), "\(full.stderr)")
        #expect(accepted >= 1)
        #expect(try files(dir.file("spool/incoming")).count == accepted, "every accepted file is there")
        #expect(try files(dir.file("spool/tmp")).isEmpty, "the partial file is gone")

        // With space again, the refused body is accepted and ingest records everything
        try mount.resize("16m")
        let again = try JarvisProcess.run(["enqueue", "-"], environment: env, stdin: try Self.body(file: 99))
        #expect(again.exitCode == 0, "\(again.stderr)")
        let ingest = try JarvisProcess.run(["ingest"], environment: env)
        #expect(ingest.exitCode == 0, "\(ingest.stderr)")
        #expect(ingest.stdout.contains("\(accepted + 1) files, \((accepted + 1) * 100) alerts"), "\(ingest.stdout)")
    }

    @Test func ingestOnAFullDiskExits74KeepsEveryFileAndALaterRunCommitsThem() throws {
        let env = env()
        for file in 0..<30 {
            let result = try JarvisProcess.run(["enqueue", "-"], environment: env, stdin: try Self.body(file: file))
            try #require(result.exitCode == 0, "\(result.stderr)")
        }
        let mount = try TestMount.tmpfs(at: dir.file("state"), size: "1m")
        defer { mount.unmount() }

        // Given a state folder too small for the journal: exit 74, one line, nothing deleted
        let full = try JarvisProcess.run(["ingest"], environment: env)
        #expect(full.exitCode == 74, "\(full.stdout)\n\(full.stderr)")
        #expect(Self.lines(full.stderr).count == 1, "one line: \(full.stderr)")
        #expect(full.stderr.contains("the disk holding the state folder is full"), "\(full.stderr)")
        #expect(try files(dir.file("spool/incoming")).count + files(dir.file("spool/processing")).count == 30, "every file stays")

        // When there is space again, the next run commits every alert once
        try mount.resize("64m")
        let ingest = try JarvisProcess.run(["ingest"], environment: env)
        #expect(ingest.exitCode == 0, "\(ingest.stderr)")
        #expect(ingest.stdout.contains("3000 new"), "\(ingest.stdout)")
        #expect(try files(dir.file("spool/incoming")).isEmpty && files(dir.file("spool/processing")).isEmpty)
        let status = try JarvisProcess.run(["status"], environment: env)
        #expect(status.exitCode == 0, "the journal is readable: \(status.stderr)")
    }

    // MARK: - A damaged journal

    /// A journal with rows, then damaged by `damage`; returns its bytes after the damage.
    func damagedJournal(_ damage: (String) throws -> Void) throws -> (path: String, bytes: Data) {
        let env = env()
        let enqueue = try JarvisProcess.run(["enqueue", "-"], environment: env, stdin: try Self.body(file: 1, count: 10))
        try #require(enqueue.exitCode == 0)
        let ingest = try JarvisProcess.run(["ingest"], environment: env)
        try #require(ingest.exitCode == 0, "\(ingest.stderr)")
        let path = dir.file("state/jarvis.sqlite")
        for suffix in ["-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        try damage(path)
        return (path, try Data(contentsOf: URL(fileURLWithPath: path)))
    }

    func expectRefusedAndKept(_ journal: (path: String, bytes: Data), advice: String) throws {
        let env = env()
        try #require(try JarvisProcess.run(["enqueue", "-"], environment: env, stdin: try Self.body(file: 2, count: 10)).exitCode == 0)
        for command in [["ingest"], ["status"], ["maintenance", "status"]] {
            let result = try JarvisProcess.run(command, environment: env)
            #expect(result.exitCode == 74, "\(command): \(result.stdout)\n\(result.stderr)")
            #expect(Self.lines(result.stderr).count == 1, "\(command): one line: \(result.stderr)")
            #expect(result.stderr.contains(journal.path), "\(command) names the file: \(result.stderr)")
            #expect(result.stderr.contains(advice), "\(command) says what to do: \(result.stderr)")
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: journal.path)) == journal.bytes, "never recreated or rewritten")
        #expect(try files(dir.file("spool/incoming")).count + files(dir.file("spool/processing")).count == 1, "the new file waits")
    }

    @Test func aTruncatedJournalIsRefusedNamedAndKept() throws {
        let journal = try damagedJournal { path in
            let handle = try #require(FileHandle(forWritingAtPath: path))
            try handle.truncate(atOffset: 5000)
            try handle.close()
        }
        try expectRefusedAndKept(journal, advice: "move the file aside")
    }

    @Test func aJournalWithAGarbageHeaderIsRefusedNamedAndKept() throws {
        let journal = try damagedJournal { path in
            let handle = try #require(FileHandle(forWritingAtPath: path))
            try handle.write(contentsOf: Data("this is not a SQLite file at all".utf8))
            try handle.close()
        }
        try expectRefusedAndKept(journal, advice: "move the file aside")
    }

    @Test func aReadOnlyJournalIsRefusedNamedAndKept() throws {
        var mount: TestMount?
        let journal = try damagedJournal { path in mount = try TestMount.readOnlyBind(path) }
        defer { mount?.unmount() }
        try expectRefusedAndKept(journal, advice: "writable")
    }

    // MARK: - A read-only state folder

    @Test func aReadOnlyStateFolderExits74WithOneLine() throws {
        let env = env()
        try #require(try JarvisProcess.run(["enqueue", "-"], environment: env, stdin: try Self.body(file: 3, count: 10)).exitCode == 0)
        let mount = try TestMount.tmpfs(at: dir.file("state"), size: "8m")
        defer { mount.unmount() }
        for existing in [false, true] {
            if existing {
                try TestCommand.run("/bin/mount", ["-o", "remount,rw", mount.path])
                try #require(try JarvisProcess.run(["migrate"], environment: env).exitCode == 0)
            }
            try mount.makeReadOnly()
            let ingest = try JarvisProcess.run(["ingest"], environment: env)
            #expect(ingest.exitCode == 74, "journal exists: \(existing): \(ingest.stdout)\n\(ingest.stderr)")
            #expect(Self.lines(ingest.stderr).count == 1, "one line: \(ingest.stderr)")
            #expect(ingest.stderr.contains(dir.file("state")), "names the folder: \(ingest.stderr)")
            #expect(try files(dir.file("spool/incoming")).count + files(dir.file("spool/processing")).count == 1, "the file waits")
        }
    }
}
