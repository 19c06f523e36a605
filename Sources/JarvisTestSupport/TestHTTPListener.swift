import Foundation

/// A minimal HTTP/1.1 server on 127.0.0.1 for tests: records each request and answers with a
/// canned response. It stands in for the webhook endpoints that Alertmanager (a real one, in
/// tests) posts to. One connection at a time; `Connection: close` after every answer.
public final class TestHTTPListener: @unchecked Sendable {
    /// One received request.
    public struct Request: Sendable {
        public var method: String
        public var path: String
        public var headers: [String: String]
        public var body: Data
    }

    public let port: UInt16
    private let socketFD: Int32
    private let lock = NSLock()
    private var received: [Request] = []
    private var stopped = false
    private let thread: Thread

    /// Binds an ephemeral port on 127.0.0.1 and starts answering `status` to every request.
    public init(status: Int = 200) throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw TestServerError("socket: \(String(cString: strerror(errno)))") }
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, 16) == 0 else {
            close(fd)
            throw TestServerError("bind/listen on 127.0.0.1: \(String(cString: strerror(errno)))")
        }
        var actual = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &actual) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        port = UInt16(bigEndian: actual.sin_port)
        socketFD = fd
        let box = ListenerLoop(fd: fd, status: status)
        thread = Thread { box.run() }
        box.onRequest = { [weak self] request in
            guard let self else { return }
            self.lock.lock()
            self.received.append(request)
            self.lock.unlock()
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
    public func waitForRequests(_ count: Int, timeout: Double) -> [Request] {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            let now = requests
            if now.count >= count { return now }
            usleep(50_000)
        }
        return requests
    }

    public func stop() {
        lock.lock()
        let already = stopped
        stopped = true
        lock.unlock()
        if !already {
            // Wakes the accept thread, which closes the socket itself.
            shutdown(socketFD, Int32(SHUT_RDWR))
        }
    }

    deinit { stop() }
}

private final class ListenerLoop: @unchecked Sendable {
    let fd: Int32
    let status: Int
    var onRequest: (TestHTTPListener.Request) -> Void = { _ in }

    init(fd: Int32, status: Int) {
        self.fd = fd
        self.status = status
    }

    func run() {
        while true {
            let client = TestSockets.accept(fd)
            if client < 0 {
                if errno == EINTR { continue }
                close(fd)  // only now: see `stop()`
                return
            }
            var timeout = timeval(tv_sec: 5, tv_usec: 0)
            setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            if let request = read(client) { onRequest(request) }
            let reason = status == 200 ? "OK" : "Error"
            let answer = "HTTP/1.1 \(status) \(reason)\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
            _ = answer.withCString { TestSockets.send(client, $0, strlen($0), Int32(MSG_NOSIGNAL)) }
            close(client)
        }
    }

    private func read(_ client: Int32) -> TestHTTPListener.Request? {
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
        let head = String(decoding: buffer[0..<end], as: UTF8.self)
        var lines = head.components(separatedBy: "\r\n")
        let requestLine = lines.removeFirst().split(separator: " ")
        var headers: [String: String] = [:]
        for line in lines where line.contains(":") {
            let parts = line.split(separator: ":", maxSplits: 1)
            headers[parts[0].lowercased()] = parts[1].trimmingCharacters(in: .whitespaces)
        }
        let length = Int(headers["content-length"] ?? "0") ?? 0
        while buffer.count - end < length {
            let n = TestSockets.recv(client, &chunk, chunk.count)
            if n <= 0 { break }
            buffer += chunk[0..<n]
        }
        return TestHTTPListener.Request(
            method: requestLine.first.map(String.init) ?? "", path: requestLine.dropFirst().first.map(String.init) ?? "",
            headers: headers, body: Data(buffer[end..<min(buffer.count, end + length)]))
    }
}

/// A test server could not be started.
public struct TestServerError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
