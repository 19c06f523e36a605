import Foundation
import JarvisCore

/// Discord's webhook answered in process, for fast tests of the jobs: the answers of
/// `TestDiscordServer` (the loopback stand-in), in order, then `fallback`; a nil answer is a
/// refused connection. Records the requests it got.
public final class ScriptedDiscordTransport: HTTPTransport, @unchecked Sendable {
    private let lock = NSLock()
    private var answers: [TestDiscordServer.Answer?]
    private var received: [HTTPRequest] = []
    private let fallback: TestDiscordServer.Answer

    /// - Parameters:
    ///   - answers: The answers, in order; nil: the connection is refused.
    ///   - fallback: What every later request gets [204].
    public init(_ answers: [TestDiscordServer.Answer?] = [], fallback: TestDiscordServer.Answer = .noContent) {
        self.answers = answers
        self.fallback = fallback
    }

    /// The requests sent so far.
    public var requests: [HTTPRequest] { lock.withLock { received } }

    public func send(_ request: HTTPRequest) throws -> HTTPResponse {
        let answer = lock.withLock {
            received.append(request)
            return answers.isEmpty ? fallback : answers.removeFirst()
        }
        // Like libcurl's transport, the failure names the origin only: the path holds the token.
        let origin = request.url.split(separator: "/", maxSplits: 3, omittingEmptySubsequences: false).prefix(3).joined(separator: "/")
        guard let answer else { throw HTTPTransportError.unreachable("\(origin): connection refused") }
        return HTTPResponse(status: answer.status, headers: answer.headers.map { HTTPHeader($0.0, $0.1) }, body: Array(answer.body.utf8))
    }
}
