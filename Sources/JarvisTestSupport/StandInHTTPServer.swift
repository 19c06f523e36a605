import Foundation
import JarvisCore

/// A real HTTP/1.1 server on 127.0.0.1 (ephemeral port) that records each request and answers
/// it with whatever its handler returns, one connection at a time, closing after each answer.
/// The LLM stand-ins (`StandInAnthropicServer`, `StandInOpenAIServer`) are built on it.
public final class StandInHTTPServer: @unchecked Sendable {
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
    /// - Parameter handler: Called on the server's thread with each request (already recorded).
    /// - Throws: `TestServerError` when the socket cannot be bound.
    public init(handler: @escaping @Sendable (Request) -> Answer) throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw TestServerError("socket: \(String(cString: strerror(errno)))") }
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = LoopbackPorts.loopback(port: 0)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, 16) == 0, let port = try? LoopbackPorts.boundPort(fd) else {
            close(fd)
            throw TestServerError("bind/listen on 127.0.0.1: \(String(cString: strerror(errno)))")
        }
        self.port = port
        socketFD = fd
        let thread = Thread { [weak self] in
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

    /// Stops accepting connections. Idempotent; also done on deinit.
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
        var head = "HTTP/1.1 \(status) \(status < 400 ? "OK" : "Error")\r\n"
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
