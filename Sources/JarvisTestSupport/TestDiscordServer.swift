import Foundation
import JarvisCore
import Synchronization

/// A scriptable HTTP/1.1 server on 127.0.0.1 (a `LoopbackHTTPServer`) that stands in for
/// Discord's webhook endpoint: it records every request and answers from a script (`answers`,
/// in order), then with `fallback` (204 No Content, as Discord answers a webhook without
/// `?wait=true`).
///
/// One connection at a time, `Connection: close` after every answer; bodies need a
/// `Content-Length` (curl sends one).
public final class TestDiscordServer: Sendable {
    /// One scripted answer.
    public struct Answer: Sendable {
        public var status: Int
        public var headers: [(String, String)]
        public var body: String

        /// Creates an answer.
        /// - Parameters:
        ///   - status: The status code.
        ///   - headers: Extra headers (Content-Length and Connection are added).
        ///   - body: The body.
        public init(status: Int, headers: [(String, String)] = [], body: String = "") {
            self.status = status
            self.headers = headers
            self.body = body
        }

        /// 204 No Content: delivered.
        public static let noContent = Answer(status: 204)

        /// Discord's 429, with `retry_after` in the body and `Retry-After` (whole seconds, rounded up).
        /// - Parameter seconds: The wait Discord asks for.
        public static func rateLimited(retryAfter seconds: Double) -> Answer {
            Answer(
                status: 429, headers: [("Content-Type", "application/json"), ("Retry-After", String(Int(seconds.rounded(.up))))],
                body: #"{"message":"You are being rate limited.","retry_after":\#(seconds),"global":false}"#)
        }

        /// A 5xx with a short text body.
        /// - Parameter status: The status [500].
        public static func serverError(_ status: Int = 500) -> Answer { Answer(status: status, body: "upstream trouble") }

        /// Discord's 400 for a body it refuses.
        public static let badRequest = Answer(
            status: 400, headers: [("Content-Type", "application/json")], body: #"{"message":"Invalid Form Body","code":50035}"#)
    }

    /// One received request.
    public struct Request: Sendable {
        public var method: String
        public var path: String
        /// Header names in lower case.
        public var headers: [String: String]
        public var body: Data
        /// The body as text.
        public var text: String { String(decoding: body, as: UTF8.self) }
    }

    /// The port it listens on.
    public var port: Int { server.port }
    private let server: LoopbackHTTPServer
    private let queue: AnswerQueue

    /// Binds a free loopback port and starts answering.
    ///
    /// It answers until `stop()`, even once no reference to it is left.
    /// - Parameters:
    ///   - answers: The first answers, in order.
    ///   - fallback: The answer once the script is used up [204].
    /// - Throws: `TestServerError` when the socket cannot be set up.
    public init(answers: [Answer] = [], fallback: Answer = .noContent) throws {
        let queue = AnswerQueue(answers)
        self.queue = queue
        server = try LoopbackHTTPServer(keepsRunningUntilStopped: true) { _ in
            let answer = queue.answers.withLock { $0.isEmpty ? fallback : $0.removeFirst() }
            return .response(status: answer.status, headers: answer.headers.map { HTTPHeader($0.0, $0.1) }, body: Array(answer.body.utf8))
        }
    }

    /// `http://127.0.0.1:<port>/api/webhooks/1/token`, a Discord-shaped webhook URL.
    public var webhookURL: String { "http://127.0.0.1:\(port)/api/webhooks/1/test-token" }

    /// Requests received so far, in order.
    public var requests: [Request] {
        server.requests.map { Request(method: $0.method, path: $0.path, headers: $0.headers, body: Data($0.body)) }
    }

    /// Appends answers to the script.
    /// - Parameter answers: Answers to give after the current script.
    public func script(_ answers: [Answer]) { queue.answers.withLock { $0 += answers } }

    /// Stops listening; connections already accepted are answered.
    public func stop() { server.stop() }
}

/// The scripted answers not given yet.
private final class AnswerQueue: Sendable {
    let answers: Mutex<[TestDiscordServer.Answer]>
    init(_ answers: [TestDiscordServer.Answer]) { self.answers = Mutex(answers) }
}
