import Foundation
import JarvisCore
import JarvisSpool
import JarvisTestSupport
import Testing

@Suite struct SpoolDirectoryTests {
    @Test func enqueueLeavesOneCompleteFileInIncomingAndNothingInTmp() throws {
        let dir = try TemporaryDirectory()
        let spool = try SpoolDirectory(root: dir.path + "/spool")
        let name = try spool.enqueue(Array("{\"alerts\":[]}".utf8))
        #expect(try spool.pending() == [name])
        #expect(try FileManager.default.contentsOfDirectory(atPath: spool.temporary).isEmpty)
        #expect(FileManager.default.contents(atPath: spool.incoming + "/" + name) == Data("{\"alerts\":[]}".utf8))
    }

    @Test func enqueueRefusesOversizePayloadAndLeavesNothing() throws {
        let dir = try TemporaryDirectory()
        let spool = try SpoolDirectory(root: dir.path, maxFileSize: 10)
        #expect(throws: SpoolRejection.self) { try spool.enqueue([UInt8](repeating: 1, count: 11)) }
        #expect(try spool.pending().isEmpty)
        #expect(try FileManager.default.contentsOfDirectory(atPath: spool.temporary).isEmpty)
    }

    @Test func namesSortByArrival() throws {
        let dir = try TemporaryDirectory()
        let spool = try SpoolDirectory(root: dir.path)
        var names: [String] = []
        for i in 0..<20 { names.append(try spool.enqueue(Array("\(i)".utf8))) }
        #expect(try spool.pending() == names)
    }

    @Test func unclaimPutsAFileBackButNeverOverAnotherOfTheSameName() throws {
        let dir = try TemporaryDirectory()
        let spool = try SpoolDirectory(root: dir.path)
        let name = try spool.enqueue(Array("one".utf8))
        #expect(try spool.claim(name))
        try spool.unclaim(name)
        #expect(try spool.pending() == [name])
        #expect(try spool.leftovers().isEmpty)

        #expect(try spool.claim(name))
        try Data("newer".utf8).write(to: URL(fileURLWithPath: spool.incoming + "/" + name))
        try spool.unclaim(name)
        #expect(try spool.leftovers() == [name], "stays claimed; the next run reclaims it")
        #expect(FileManager.default.contents(atPath: spool.incoming + "/" + name) == Data("newer".utf8))
        try spool.unclaim("never-claimed")  // nothing to do, no error
    }

    @Test func claimIsExclusive() throws {
        let dir = try TemporaryDirectory()
        let spool = try SpoolDirectory(root: dir.path)
        let name = try spool.enqueue(Array("x".utf8))
        #expect(try spool.claim(name) == true)
        #expect(try spool.claim(name) == false)
        #expect(try spool.leftovers() == [name])
    }

    @Test func writesInProgressAreNotPending() throws {
        let dir = try TemporaryDirectory()
        let spool = try SpoolDirectory(root: dir.path)
        for name in [".hidden.json", "a.json.part", "b.tmp"] {
            #expect(FileManager.default.createFile(atPath: spool.incoming + "/" + name, contents: Data("x".utf8)))
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: spool.incoming).count == 3)
        #expect(try spool.pending().isEmpty)
    }

    @Test func strayNamesInIncomingAreMovedToRejectedSoThePathUnitSettles() throws {
        let dir = try TemporaryDirectory()
        let spool = try SpoolDirectory(root: dir.path)
        for name in [".hidden.json", "a.json.part", "b.tmp"] {
            FileManager.default.createFile(atPath: spool.incoming + "/" + name, contents: Data("x".utf8))
        }
        let kept = try spool.enqueue(Array("{}".utf8))
        let moved = try spool.rejectStrays()
        #expect(moved.map(\.name) == [".hidden.json", "a.json.part", "b.tmp"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: spool.incoming) == [kept])
        let reason = try String(contentsOfFile: spool.rejected + "/b.tmp.reason", encoding: .utf8)
        #expect(reason.hasPrefix("not a spool file name"))
        #expect(try spool.rejectStrays().isEmpty)
    }

    @Test func symlinkIsRejectedWithoutBeingFollowed() throws {
        let dir = try TemporaryDirectory()
        let spool = try SpoolDirectory(root: dir.path + "/spool")
        let secret = dir.file("secret.json")
        FileManager.default.createFile(atPath: secret, contents: Data("{\"alerts\":[]}".utf8))
        try FileManager.default.createSymbolicLink(atPath: spool.incoming + "/link.json", withDestinationPath: secret)
        #expect(try spool.claim("link.json"))
        #expect(try spool.read("link.json") == .rejected("is a symbolic link (not followed)"))
        try spool.reject("link.json", reason: "is a symbolic link (not followed)")
        // The target is untouched; the link itself moved.
        #expect(FileManager.default.fileExists(atPath: secret))
        let moved = try FileManager.default.destinationOfSymbolicLink(atPath: spool.rejected + "/link.json")
        #expect(moved == secret)
        #expect(try String(contentsOfFile: spool.rejected + "/link.json.reason", encoding: .utf8) == "is a symbolic link (not followed)\n")
    }

    @Test func fifoIsRejectedWithoutBlocking() throws {
        let dir = try TemporaryDirectory()
        let spool = try SpoolDirectory(root: dir.path)
        #expect(mkfifo(spool.incoming + "/pipe.json", 0o600) == 0)
        #expect(try spool.claim("pipe.json"))
        #expect(try spool.read("pipe.json") == .rejected("is not a regular file (a device, socket or pipe)"))
    }

    @Test func oversizeFileIsRejectedUnread() throws {
        let dir = try TemporaryDirectory()
        let spool = try SpoolDirectory(root: dir.path, maxFileSize: 1 << 20)
        FileManager.default.createFile(atPath: spool.incoming + "/big.json", contents: Data(count: 2 << 20))
        #expect(try spool.claim("big.json"))
        #expect(try spool.read("big.json") == .rejected("is 2097152 bytes, over the 1048576-byte limit"))
    }

    @Test func rejectingTheSameNameTwiceKeepsBoth() throws {
        let dir = try TemporaryDirectory()
        let spool = try SpoolDirectory(root: dir.path)
        for round in 0..<2 {
            FileManager.default.createFile(atPath: spool.incoming + "/a.json", contents: Data("\(round)".utf8))
            #expect(try spool.claim("a.json"))
            try spool.reject("a.json", reason: "round \(round)")
        }
        #expect(try spool.backlog().rejected == 2)
        #expect(try String(contentsOfFile: spool.rejected + "/a.json.1.reason", encoding: .utf8) == "round 1\n")
    }

    @Test func lockIsExclusiveAndFreedOnRelease() throws {
        let dir = try TemporaryDirectory()
        let first = try #require(try FileLock.acquire(dir.file("x.lock"), timeout: 0))
        #expect(try FileLock.acquire(dir.file("x.lock"), timeout: 0.1) == nil)
        #expect(FileLock.holder(dir.file("x.lock")) == getpid())
        first.release()
        #expect(try FileLock.acquire(dir.file("x.lock"), timeout: 0) != nil)
    }
}
