import Foundation
import JarvisCore
import JarvisJobs
import JarvisTestSupport
import Testing

/// How a metrics file is replaced: the previous version is kept beside it as the temp file the
/// next write fills and swaps in, so a run creates and deletes no file.
@Suite struct MetricsWriterTests {
    let dir: TemporaryDirectory
    let writer: MetricsWriter

    init() throws {
        dir = try TemporaryDirectory()
        writer = MetricsWriter(directory: dir.file("metrics"))
    }

    func write(exitCode: Int32) throws {
        try writer.writeRun(command: "ingest", started: Timestamp(seconds: 100), finished: Timestamp(seconds: 101), exitCode: exitCode)
    }

    func expected(exitCode: Int32) -> String {
        MetricsWriter.runText(command: "ingest", started: Timestamp(seconds: 100), finished: Timestamp(seconds: 101), exitCode: exitCode)
    }

    func inode(_ path: String) throws -> UInt64 {
        var info = stat()
        try #require(stat(path, &info) == 0, "\(path)")
        return UInt64(info.st_ino)
    }

    func mode(_ path: String) throws -> Int? { try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int }

    @Test func eachWriteSwapsInThePreviousVersionRewritten() throws {
        // Given two writes (the second leaves the first version as the temp file)
        let file = writer.runFile("ingest")
        try write(exitCode: 0)
        try write(exitCode: 75)
        let previous = try inode(file)
        let temporary = try inode(file + ".tmp")
        #expect(try String(contentsOfFile: file + ".tmp", encoding: .utf8) == expected(exitCode: 0))
        // When a third run writes
        try write(exitCode: 78)
        // Then the temp file became the metrics file and the metrics file the temp file
        #expect(try inode(file) == temporary)
        #expect(try inode(file + ".tmp") == previous)
        #expect(try String(contentsOfFile: file, encoding: .utf8) == expected(exitCode: 78))
        #expect(try mode(file) == 0o644)
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: dir.file("metrics")).sorted() == [
                "jarvis_run_ingest.prom", "jarvis_run_ingest.prom.tmp",
            ])
    }

    @Test func aLongerTempFileLeftByAKilledRunIsCutToTheNewText() throws {
        // Given a metrics file and a temp file a killed run left longer, with another mode
        let file = writer.runFile("ingest")
        try write(exitCode: 0)
        try String(repeating: "partial line\n", count: 500).write(toFile: file + ".tmp", atomically: false, encoding: .utf8)
        chmod(file + ".tmp", 0o600)
        // When the next run writes, then the file is exactly its text, mode 0644
        try write(exitCode: 70)
        #expect(try String(contentsOfFile: file, encoding: .utf8) == expected(exitCode: 70))
        #expect(try mode(file) == 0o644)
    }

    @Test func whileAnotherRunHoldsTheTempFileAWriteUsesATempFileOfItsOwn() throws {
        // Given the temp file locked by another run
        let file = writer.runFile("ingest")
        try write(exitCode: 0)
        try write(exitCode: 0)
        let held = open(file + ".tmp", O_RDWR)
        try #require(held >= 0 && flock(held, LOCK_EX) == 0)
        defer { close(held) }
        let before = try String(contentsOfFile: file + ".tmp", encoding: .utf8)
        // When this run writes
        try write(exitCode: 75)
        // Then the file is replaced all the same, the locked temp file is left alone, and no
        // other temp file stays behind
        #expect(try String(contentsOfFile: file, encoding: .utf8) == expected(exitCode: 75))
        #expect(try String(contentsOfFile: file + ".tmp", encoding: .utf8) == before)
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: dir.file("metrics")).sorted() == [
                "jarvis_run_ingest.prom", "jarvis_run_ingest.prom.tmp",
            ])
    }
}
