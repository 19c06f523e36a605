import Foundation
import JarvisCore
import JarvisSSH
import Testing

extension SSHIntegrationTests {
    @Suite
    struct LocalExecutorTests {
        let executor = LocalExecutor(killGrace: .milliseconds(300))

        @Test func stdoutStderrAndExitStatusComeBackSeparately() throws {
            let result = try executor.run(["/bin/sh", "-c", "echo out; echo err >&2; exit 3"], timeout: .seconds(5))
            #expect(result.stdoutText == "out\n")
            #expect(result.stderrText == "err\n")
            #expect(result.exitStatus == 3)
            #expect(result.exitSignal == nil)
            #expect(!result.timedOut)
        }

        @Test func argumentsAreNeverInterpretedByAShell() throws {
            let argument = "a; echo pwned $(id) `id` 'q' \"d\" \n *"
            let result = try executor.run(["printf", "%s", argument], timeout: .seconds(5))
            #expect(result.stdoutText == argument)
        }

        @Test func aCommandKilledByASignalReportsTheSignal() throws {
            let result = try executor.run(["/bin/sh", "-c", "kill -KILL $$"], timeout: .seconds(5))
            #expect(result.exitSignal == "KILL")
            #expect(result.exitStatus == nil)
        }

        @Test func aCommandPastItsTimeoutIsTerminatedWithItsChildren() async throws {
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("jarvis-local-\(UUID().uuidString)").path
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(atPath: folder) }
            let marker = "\(folder)/after-sleep"
            let result = try executor.run(["/bin/sh", "-c", "echo started; sleep 2; touch \(marker)"], timeout: .milliseconds(500))
            #expect(result.timedOut)
            #expect(result.exitSignal == "TERM")
            #expect(result.stdoutText == "started\n")
            #expect(result.duration < .milliseconds(1900))  // well before the 2 s sleep
            try await Task.sleep(for: .milliseconds(2500))
            #expect(!FileManager.default.fileExists(atPath: marker))
        }

        @Test func aCommandIgnoringSIGTERMIsKilledAfterTheGrace() throws {
            let result = try executor.run(["/bin/sh", "-c", "trap '' TERM; sleep 30"], timeout: .milliseconds(300))
            #expect(result.timedOut)
            #expect(result.exitSignal == "KILL")
            #expect(result.duration < .seconds(10))  // far from the 30 s sleep
        }

        @Test func outputIsCappedAndFlagged() throws {
            let result = try executor.run(["head", "-c", "10485760", "/dev/zero"], timeout: .seconds(10))
            #expect(result.stdout.count == 64 * 1024)
            #expect(result.stdoutTruncated)
            #expect(result.exitStatus == 0)
        }

        @Test func aBackgroundChildHoldingStdoutDoesNotHoldTheResult() throws {
            let result = try executor.run(["/bin/sh", "-c", "sleep 3 & echo hi"], timeout: .seconds(10))
            #expect(result.stdoutText == "hi\n")
            #expect(result.duration < .milliseconds(2900))  // not held by the 3 s child
        }

        @Test func aMissingProgramAndAnEmptyListAreErrors() {
            let missing = #expect(throws: LocalExecutionError.self) { try executor.run(["/nonexistent/program"]) }
            #expect(missing?.code == .spawnFailed)
            #expect(missing?.errno == ENOENT)
            let empty = #expect(throws: LocalExecutionError.self) { try executor.run([]) }
            #expect(empty?.code == .invalidCommand)
        }

        @Test func theEnvironmentCanBeReplaced() throws {
            let result = try LocalExecutor(environment: ["JARVIS_X": "1", "PATH": "/usr/bin:/bin"]).run(["env"], timeout: .seconds(5))
            #expect(result.stdoutText.split(separator: "\n").sorted() == ["JARVIS_X=1", "PATH=/usr/bin:/bin"])
        }
    }
}
