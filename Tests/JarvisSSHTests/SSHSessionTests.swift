import Foundation
import JarvisCore
import JarvisSSH
import JarvisTestSupport
import Testing

@Suite(.enabled(if: TestSSHD.isAvailable || ProcessInfo.processInfo.environment["CI"] == "true"), .timeLimit(.minutes(1)))
struct SSHSessionTests {
    @Test func stdoutStderrAndExitStatusComeBackSeparately() throws {
        let server = try TestSSHD.start()
        defer { server.stop() }
        let session = try SSHSession(host: server.host(), connectTimeout: .seconds(5))
        let result = try session.run(argv: ["sh", "-c", "echo out; echo err >&2; exit 3"], timeout: .seconds(10))
        #expect(result.stdoutText == "out\n")
        #expect(result.stderrText == "err\n")
        #expect(result.exitStatus == 3)
        #expect(result.exitSignal == nil)
        #expect(!result.timedOut)
        #expect(!result.stdoutTruncated && !result.stderrTruncated)
    }
}
