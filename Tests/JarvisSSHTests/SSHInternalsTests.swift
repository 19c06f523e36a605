import Foundation
import JarvisCore
import Testing

@testable import JarvisSSH

@Suite struct SSHInternalsTests {
    @Test(arguments: [
        ("", ""), ("f", "Zg=="), ("fo", "Zm8="), ("foo", "Zm9v"), ("foob", "Zm9vYg=="), ("fooba", "Zm9vYmE="), ("foobar", "Zm9vYmFy"),
    ])
    func base64MatchesRFC4648(input: String, expected: String) {
        #expect(Base64.encode(Array(input.utf8)) == expected)
        #expect(Base64.encode(Array(input.utf8), padding: false) == expected.replacingOccurrences(of: "=", with: ""))
    }

    @Test func timeoutsAreWrittenAsCoreutilsSeconds() {
        #expect(Duration.seconds(60).secondsArgument == "60")
        #expect(Duration.milliseconds(1500).secondsArgument == "1.5")
        #expect(Duration.milliseconds(250).secondsArgument == "0.25")
        #expect(Duration.nanoseconds(1).secondsArgument == "0.001")
    }

    @Test func theRemoteCommandWrapsTheQuotedArgvInTimeout() throws {
        let command = try SSHSession.remoteCommand(argv: ["printf", "%s", "a'b; $(x)"], timeout: .seconds(60), host: "h")
        #expect(command == #"timeout --signal=TERM --kill-after=2 60 printf %s 'a'\''b; $(x)'"#)
        #expect(throws: SSHError.self) { try SSHSession.remoteCommand(argv: ["a\u{0}"], timeout: .seconds(1), host: "h") }
    }

    @Test func theSSHBannerIsFoundAfterOtherLines() {
        #expect(HostProbe.banner(in: Array("hello\r\nSSH-2.0-Test_1\r\n".utf8)) == "SSH-2.0-Test_1")
        #expect(HostProbe.banner(in: Array("SSH-2.0-Partial".utf8)) == nil)
        #expect(HostProbe.banner(in: Array("SSH-2.0-Unix\n".utf8)) == "SSH-2.0-Unix")
    }

    @Test func cappedBufferKeepsTheCapAndCountsTheRest() {
        var buffer = CappedBuffer(cap: 5)
        let bytes: [UInt8] = Array("abcdefgh".utf8)
        bytes.withUnsafeBytes { buffer.append($0) }
        bytes.withUnsafeBytes { buffer.append($0) }
        #expect(buffer.bytes == Array("abcde".utf8))
        #expect(buffer.totalCount == 16)
        #expect(buffer.truncated)
    }

    @Test func errorDescriptionsAreSafeAndClassified() {
        let error = SSHError(
            code: .hostKeyMismatch, host: "db1", message: "refusing", fingerprint: "SHA256:abc", underlyingCode: -1, underlyingMessage: "detail")
        #expect(error.description == "SSH hostKeyMismatch for host db1: refusing (host key SHA256:abc)")
        #expect(error.debugDescription.hasSuffix("[-1] detail"))
        #expect(!error.isConnectionClass)
        #expect(SSHError(code: .connectTimeout, host: "h", message: "m").isConnectionClass)
        #expect(SSHError(code: .connectFailed, host: "h", message: "m").isConnectionClass)
        #expect(!SSHError(code: .channelFailed, host: "h", message: "m").isConnectionClass)
    }

    @Test func cStringArraysAreNullTerminated() {
        let count = withSpawnArgumentArray(["a", "bc"]) { pointer -> Int in
            var count = 0
            while pointer[count] != nil { count += 1 }
            return count
        }
        #expect(count == 2)
        let strings = withSpawnArgumentArray(["x", "yz"]) { pointer in (0..<2).compactMap { pointer[$0].map { String(cString: $0) } } }
        #expect(strings == ["x", "yz"])
    }
}
