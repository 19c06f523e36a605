import Foundation
import JarvisCore

/// A real HTTP/1.1 server on 127.0.0.1 (ephemeral port) that records each request and answers
/// it with whatever its handler returns, one connection at a time, closing after each answer
/// (`Connection: close`); request bodies need a `Content-Length`. The test servers
/// (`TestHTTPListener`, `TestDiscordServer`, the LLM stand-ins) are thin wrappers around it.
public final class LoopbackHTTPServer: @unchecked Sendable {
    /// One received request.
    public struct Request: Sendable {
        public var method: String
        public var path: String
        /// Header values by lower-cased name.
        public var headers: [String: String]
        public var body: [UInt8]
        /// The body parsed as JSON, nil when it is not JSON.
        public var json: JSONValue?
        /// The body as UTF-8 text.
        public var text: String { String(decoding: body, as: UTF8.self) }
    }

    /// How to answer a request.
    public enum Answer: Sendable {
        /// A complete response with a `Content-Length` header.
        case response(status: Int, headers: [HTTPHeader], body: [UInt8])
        /// The head announces `declaredLength` body bytes, then only `body` is sent and the
        /// connection closes.
        case shortBody(status: Int, headers: [HTTPHeader], body: [UInt8], declaredLength: Int)
    }

    public let port: Int
    /// `http://127.0.0.1:PORT`.
    public var baseURL: String { "http://127.0.0.1:\(port)" }

    private let socketFD: Int32
    private let lock = NSLock()
    private var received: [Request] = []
    private var stopped = false

    /// Binds an ephemeral port on 127.0.0.1 and starts answering with `handler`.
    ///
    /// - Parameters:
    ///   - keepsRunningUntilStopped: When true the accept thread holds the server, so it goes on
    ///     answering after the last reference to it is gone, until `stop()`; when false [the
    ///     default] releasing the server stops it.
    ///   - handler: Called on the server's thread with each request (already recorded).
    /// - Throws: `TestServerError` when the socket cannot be bound.
    public init(keepsRunningUntilStopped: Bool = false, handler: @escaping @Sendable (Request) -> Answer) throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw TestServerError("socket: \(String(cString: strerror(errno)))") }
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = LoopbackPorts.loopback(port: 0)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, 64) == 0, let port = try? LoopbackPorts.boundPort(fd) else {
            let reason = String(cString: strerror(errno))
            close(fd)
            throw TestServerError("bind/listen on 127.0.0.1: \(reason)")
        }
        self.port = port
        socketFD = fd
        let anchor = keepsRunningUntilStopped ? self : nil
        let thread = Thread { [weak self] in
            withExtendedLifetime(anchor) {}
            while true {
                let client = TestSockets.accept(fd)
                if client < 0 {
                    if errno == EINTR { continue }
                    close(fd)  // only now: see `stop()`
                    return
                }
                guard let self else {
                    close(client)
                    close(fd)
                    return
                }
                self.serve(client, handler: handler)
                close(client)
            }
        }
        thread.start()
    }

    /// Requests received so far, in order.
    public var requests: [Request] {
        lock.lock()
        defer { lock.unlock() }
        return received
    }

    /// Waits until at least `count` requests arrived or `timeout` seconds passed.
    ///
    /// - Returns: The requests received by then, in order.
    public func waitForRequests(_ count: Int, timeout: Double) -> [Request] {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            let now = requests
            if now.count >= count { return now }
            usleep(50_000)
        }
        return requests
    }

    /// Stops accepting connections; a connection already accepted is still answered.
    /// Idempotent; also done on deinit (unless `keepsRunningUntilStopped`).
    public func stop() {
        lock.lock()
        let already = stopped
        stopped = true
        lock.unlock()
        if !already {
            // Wakes the accept thread, which closes the socket itself: closing it here would
            // free its number while the thread may still call accept() with it, and a socket
            // opened meanwhile by another test would get its connections stolen.
            shutdown(socketFD, Int32(SHUT_RDWR))
        }
    }

    deinit { stop() }

    private func serve(_ client: Int32, handler: (Request) -> Answer) {
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        guard let request = Self.read(client) else { return }
        lock.lock()
        received.append(request)
        lock.unlock()
        let (head, body): (String, [UInt8])
        switch handler(request) {
        case .response(let status, let headers, let bytes):
            head = Self.head(status, headers, length: bytes.count)
            body = bytes
        case .shortBody(let status, let headers, let bytes, let declared):
            head = Self.head(status, headers, length: declared)
            body = bytes
        }
        let outgoing = Array(head.utf8) + body
        var sent = 0
        while sent < outgoing.count {
            let n = outgoing[sent...].withUnsafeBytes { TestSockets.send(client, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n <= 0 { return }
            sent += n
        }
        shutdown(client, Int32(SHUT_WR))
    }

    private static func head(_ status: Int, _ headers: [HTTPHeader], length: Int) -> String {
        let reasons = [
            200: "OK", 204: "No Content", 400: "Bad Request", 404: "Not Found", 429: "Too Many Requests", 500: "Internal Server Error",
            502: "Bad Gateway", 503: "Service Unavailable",
        ]
        var head = "HTTP/1.1 \(status) \(reasons[status] ?? (status < 400 ? "OK" : "Error"))\r\n"
        for header in headers { head += "\(header.name): \(header.value)\r\n" }
        return head + "Content-Length: \(length)\r\nConnection: close\r\n\r\n"
    }

    private static func read(_ client: Int32) -> Request? {
        var buffer: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        var headerEnd: Int?
        while headerEnd == nil {
            let n = TestSockets.recv(client, &chunk, chunk.count)
            if n <= 0 { return nil }
            buffer += chunk[0..<n]
            headerEnd = LoopbackHTTPTransport.find([13, 10, 13, 10], in: buffer).map { $0 + 4 }
        }
        guard let end = headerEnd else { return nil }
        var lines = String(decoding: buffer[..<(end - 4)], as: UTF8.self).components(separatedBy: "\r\n")
        let requestLine = lines.removeFirst().split(separator: " ")
        var headers: [String: String] = [:]
        for line in lines {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        let length = Int(headers["content-length"] ?? "0") ?? 0
        while buffer.count - end < length {
            let n = TestSockets.recv(client, &chunk, chunk.count)
            if n <= 0 { break }
            buffer += chunk[0..<n]
        }
        let body = Array(buffer[end..<min(buffer.count, end + length)])
        return Request(
            method: requestLine.first.map(String.init) ?? "", path: requestLine.dropFirst().first.map(String.init) ?? "",
            headers: headers, body: body, json: try? JSONValue(parsing: body))
    }
}
