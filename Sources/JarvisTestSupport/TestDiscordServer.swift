import Foundation

/// A scriptable HTTP/1.1 server on 127.0.0.1 that stands in for Discord's webhook endpoint:
/// it records every request and answers from a script (`answers`, in order), then with
/// `fallback` (204 No Content, as Discord answers a webhook without `?wait=true`).
///
/// One connection at a time, `Connection: close` after every answer; bodies need a
/// `Content-Length` (curl sends one).
public final class TestDiscordServer: @unchecked Sendable {
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
    public let port: Int
    private let fd: Int32
    private let lock = NSLock()
    private var script: [Answer]
    private var fallback: Answer
    private var received: [Request] = []
    private var stopped = false

    /// Binds a free loopback port and starts answering.
    /// - Parameters:
    ///   - answers: The first answers, in order.
    ///   - fallback: The answer once the script is used up [204].
    /// - Throws: `TestServerError` when the socket cannot be set up.
    public init(answers: [Answer] = [], fallback: Answer = .noContent) throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw TestServerError("socket: \(String(cString: strerror(errno)))") }
        var address = LoopbackPorts.loopback(port: 0)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, 64) == 0, let port = try? LoopbackPorts.boundPort(fd) else {
            let reason = String(cString: strerror(errno))
            close(fd)
            throw TestServerError("bind/listen on 127.0.0.1: \(reason)")
        }
        self.fd = fd
        self.port = port
        self.script = answers
        self.fallback = fallback
        let thread = Thread { [self] in serve() }
        thread.start()
    }

    /// `http://127.0.0.1:<port>/api/webhooks/1/token`, a Discord-shaped webhook URL.
    public var webhookURL: String { "http://127.0.0.1:\(port)/api/webhooks/1/test-token" }

    /// Requests received so far, in order.
    public var requests: [Request] {
        lock.lock()
        defer { lock.unlock() }
        return received
    }

    /// Appends answers to the script.
    /// - Parameter answers: Answers to give after the current script.
    public func script(_ answers: [Answer]) {
        lock.lock()
        script += answers
        lock.unlock()
    }

    /// Stops listening; connections already accepted are answered.
    public func stop() {
        lock.lock()
        let already = stopped
        stopped = true
        lock.unlock()
        if !already {
            // Wakes the accept thread, which closes the socket itself (closing it here would
            // let its number be reused under a thread still calling accept() with it).
            shutdown(fd, Int32(SHUT_RDWR))
        }
    }

    deinit { stop() }

    private func nextAnswer() -> Answer {
        lock.lock()
        defer { lock.unlock() }
        return script.isEmpty ? fallback : script.removeFirst()
    }

    private func serve() {
        while true {
            let client = TestSockets.accept(fd)
            if client < 0 {
                if errno == EINTR { continue }
                close(fd)  // only now: see `stop()`
                return
            }
            var timeout = timeval(tv_sec: 5, tv_usec: 0)
            setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            if let request = read(client) {
                lock.lock()
                received.append(request)
                lock.unlock()
                let answer = nextAnswer()
                var head = "HTTP/1.1 \(answer.status) \(Self.reason(answer.status))\r\n"
                for (name, value) in answer.headers { head += "\(name): \(value)\r\n" }
                head += "Content-Length: \(answer.body.utf8.count)\r\nConnection: close\r\n\r\n"
                let bytes = Array((head + answer.body).utf8)
                var sent = 0
                while sent < bytes.count {
                    let n = bytes[sent...].withUnsafeBytes { TestSockets.send(client, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
                    if n <= 0 { break }
                    sent += n
                }
            }
            close(client)
        }
    }

    private static func reason(_ status: Int) -> String {
        switch status {
        case 200: "OK"
        case 204: "No Content"
        case 400: "Bad Request"
        case 404: "Not Found"
        case 429: "Too Many Requests"
        case 500: "Internal Server Error"
        case 502: "Bad Gateway"
        case 503: "Service Unavailable"
        default: "Status"
        }
    }

    private func read(_ client: Int32) -> Request? {
        var buffer = [UInt8]()
        var chunk = [UInt8](repeating: 0, count: 65536)
        var headerEnd: Int?
        while headerEnd == nil {
            let n = TestSockets.recv(client, &chunk, chunk.count)
            if n <= 0 { return nil }
            buffer += chunk[0..<n]
            if let range = Data(buffer).range(of: Data("\r\n\r\n".utf8)) { headerEnd = range.upperBound }
        }
        guard let end = headerEnd else { return nil }
        var lines = String(decoding: buffer[0..<end], as: UTF8.self).components(separatedBy: "\r\n")
        let requestLine = lines.removeFirst().split(separator: " ")
        var headers: [String: String] = [:]
        for line in lines where line.contains(":") {
            let parts = line.split(separator: ":", maxSplits: 1)
            headers[parts[0].lowercased()] = parts.count > 1 ? parts[1].trimmingCharacters(in: .whitespaces) : ""
        }
        let length = Int(headers["content-length"] ?? "0") ?? 0
        while buffer.count - end < length {
            let n = TestSockets.recv(client, &chunk, chunk.count)
            if n <= 0 { return nil }
            buffer += chunk[0..<n]
        }
        return Request(
            method: requestLine.first.map(String.init) ?? "", path: requestLine.dropFirst().first.map(String.init) ?? "", headers: headers,
            body: Data(buffer[end..<(end + length)]))
    }
}
