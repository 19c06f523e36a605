import Foundation
import JarvisTestSupport
import Testing

/// A real SIGTERM to a running `jarvis ingest` on a large spool, and the journald priority
/// prefixes of its log lines.
@Suite(.serialized, .timeLimit(.minutes(3)))
struct SignalAndLogCLITests {
    /// `→ N new` from an ingest summary.
    static func newCount(_ stdout: String) -> Int? {
        guard let range = stdout.range(of: "→ ") else { return nil }
        return Int(stdout[range.upperBound...].prefix { $0.isNumber })
    }

    @Test func sigtermFinishesTheCurrentGroupCommitsAndLosesNothing() throws {
        let dir = try TemporaryDirectory()
        let env = ["JARVIS_SPOOL_DIR": dir.file("spool"), "JARVIS_STATE_DIR": dir.file("state")]
        let files = 400
        let perFile = 50
        let spool = try SpoolFixture(root: dir.file("spool"))
        for index in 0..<files { try spool.add(SyntheticPayloads.group(first: index * perFile, count: perFile)) }

        // Given an ingest well into a 20,000-alert spool
        let running = try JarvisProcess.start(["ingest"], environment: env)
        let deadline = Date().addingTimeInterval(30)
        while try spool.waiting() > files - 40, Date() < deadline { usleep(2_000) }
        // When systemd stops it
        running.kill(SIGTERM)
        let stopped = running.wait()

        // Then it exits 0 or 75, having committed what it took; the rest waits in incoming/
        #expect(!stopped.signaled, "it handled the signal: \(stopped.stderr)")
        #expect([0, 75].contains(stopped.exitCode), "\(stopped.stdout)\n\(stopped.stderr)")
        let first = try #require(Self.newCount(stopped.stdout), "\(stopped.stdout)")
        #expect(stopped.stdout.contains("stopped early by a signal"), "\(stopped.stdout)")
        #expect(first > 0 && first < files * perFile, "it committed part of the spool: \(first)")
        #expect(try spool.processing() == 0, "files claimed ahead went back to incoming/")
        #expect(first % perFile == 0, "whole files only: \(first)")
        #expect(try spool.waiting() == files - first / perFile, "every file not committed is still waiting")

        // And the next run records the rest: every alert exactly once
        let rest = try JarvisProcess.run(["ingest"], environment: env)
        #expect(rest.exitCode == 0, "\(rest.stderr)")
        #expect(first + (Self.newCount(rest.stdout) ?? -1) == files * perFile, "\(stopped.stdout)\n\(rest.stdout)")
        #expect(try spool.waiting() == 0)
    }

    @Test func underJournaldLinesCarryTheirPriorityAndOtherwiseAWord() throws {
        let dir = try TemporaryDirectory()
        let env = ["JARVIS_SPOOL_DIR": dir.file("spool"), "JARVIS_STATE_DIR": dir.file("state")]
        let spool = try SpoolFixture(root: dir.file("spool"))
        try spool.add(Data("{not json".utf8))
        let config = dir.file("bad.yml")
        try "spool_dir: [1, 2]\n".write(toFile: config, atomically: true, encoding: .utf8)

        // systemd sets JOURNAL_STREAM when stderr goes to the journal
        let journald = env.merging(["JOURNAL_STREAM": "8:12345"]) { $1 }
        let warned = try JarvisProcess.run(["ingest"], environment: journald)
        #expect(warned.exitCode == 0, "\(warned.stderr)")
        #expect(warned.stderr.split(separator: "\n").contains { $0.hasPrefix("<4>rejected ") }, "warning <4>: \(warned.stderr)")
        let failed = try JarvisProcess.run(["ingest", "--config", config], environment: journald)
        #expect(failed.exitCode == 78)
        #expect(failed.stderr.hasPrefix("<3>"), "error <3>: \(failed.stderr)")

        // On a terminal or in a pipe: a word instead of a number
        try spool.add(Data("{still not json".utf8))
        let plain = try JarvisProcess.run(["ingest"], environment: env)
        #expect(plain.stderr.split(separator: "\n").contains { $0.hasPrefix("jarvis: warning: rejected ") }, "\(plain.stderr)")
        #expect(!plain.stderr.contains("<4>"))
        let plainError = try JarvisProcess.run(["ingest", "--config", config], environment: env)
        #expect(plainError.stderr.hasPrefix("jarvis: error: "), "\(plainError.stderr)")
    }
}

/// A spool folder filled directly (as Alertmanager's receiver would, by rename), and counted.
struct SpoolFixture {
    let root: String

    init(root: String) throws {
        self.root = root
        for sub in ["incoming", "processing", "tmp", "rejected"] {
            try FileManager.default.createDirectory(atPath: root + "/" + sub, withIntermediateDirectories: true)
        }
    }

    /// Writes one body into incoming/ through tmp/ and a rename.
    func add(_ body: Data) throws {
        let name = String(format: "%020d-%@.json", Int(Date().timeIntervalSince1970 * 1e9), UUID().uuidString)
        let temporary = root + "/tmp/" + name
        try body.write(to: URL(fileURLWithPath: temporary))
        try FileManager.default.moveItem(atPath: temporary, toPath: root + "/incoming/" + name)
    }

    func waiting() throws -> Int { try FileManager.default.contentsOfDirectory(atPath: root + "/incoming").count }
    func processing() throws -> Int { try FileManager.default.contentsOfDirectory(atPath: root + "/processing").count }
}
