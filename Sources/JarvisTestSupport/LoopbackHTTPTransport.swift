import Foundation
import JarvisCore

/// An `HTTPTransport` over a plain TCP socket to 127.0.0.1, for tests against the stand-in
/// servers: HTTP/1.1, one request per connection (`Connection: close`), bodies framed by
/// `Content-Length` (or by the close when a response has none).
///
/// Like libcurl it throws `HTTPTransportError.unreachable` when the connection closes before
/// the announced body arrived, and `.timedOut` when the request's timeout passes.
public struct LoopbackHTTPTransport: HTTPTransport {
    public init() {}

    public func send(_ request: HTTPRequest) throws -> HTTPResponse {
        let (port, path) = try Self.split(request.url)
        let deadline = Date().addingTimeInterval(max(0.001, request.timeout))
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw HTTPTransportError.unreachable("socket: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var address = LoopbackPorts.loopback(port: port)
        Self.setTimeout(fd, until: deadline, option: SO_SNDTIMEO)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw HTTPTransportError.unreachable("connect to 127.0.0.1:\(port): \(String(cString: strerror(errno)))") }

        var head = "\(request.method) \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\n"
        for header in request.headers { head += "\(header.name): \(header.value)\r\n" }
        head += "Content-Length: \(request.body.count)\r\nConnection: close\r\n\r\n"
        let outgoing = Array(head.utf8) + request.body
        var sent = 0
        while sent < outgoing.count {
            let n = outgoing[sent...].withUnsafeBytes { TestSockets.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n < 0, errno == EINTR { continue }
            guard n > 0 else { throw Self.failure(deadline, "send") }
            sent += n
        }

        var buffer: [UInt8] = []
        return try Self.readResponse(fd, until: deadline, buffer: &buffer)
    }

    /// Reads one response from `fd`; `buffer` holds bytes already received and keeps what
    /// follows the response (the next one on a keep-alive connection).
    static func readResponse(_ fd: Int32, until deadline: Date, buffer: inout [UInt8]) throws -> HTTPResponse {
        var chunk = [UInt8](repeating: 0, count: 65536)
        var headerEnd: Int?
        var closed = false
        func receive() throws {
            Self.setTimeout(fd, until: deadline, option: SO_RCVTIMEO)
            let n = TestSockets.recv(fd, &chunk, chunk.count)
            if n < 0, errno == EINTR { return }
            if n < 0 { throw Self.failure(deadline, "recv") }
            if n == 0 { closed = true } else { buffer += chunk[0..<n] }
        }
        headerEnd = Self.find([13, 10, 13, 10], in: buffer).map { $0 + 4 }
        while headerEnd == nil {
            try receive()
            headerEnd = Self.find([13, 10, 13, 10], in: buffer).map { $0 + 4 }
            if closed, headerEnd == nil { throw HTTPTransportError.unreachable("connection closed before the response head") }
        }
        guard let end = headerEnd else { throw HTTPTransportError.unreachable("no response head") }
        var lines = String(decoding: buffer[..<(end - 4)], as: UTF8.self).components(separatedBy: "\r\n")
        let statusLine = lines.removeFirst().split(separator: " ")
        guard statusLine.count >= 2, statusLine[0].hasPrefix("HTTP/1."), let status = Int(statusLine[1]) else {
            throw HTTPTransportError.unreachable("bad status line")
        }
        var headers: [HTTPHeader] = []
        for line in lines {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers.append(HTTPHeader(String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)))
        }
        let response = HTTPResponse(status: status, headers: headers)
        if let lengthText = response.header("content-length") {
            guard let length = Int(lengthText), length >= 0 else { throw HTTPTransportError.unreachable("bad Content-Length") }
            while buffer.count - end < length, !closed { try receive() }
            guard buffer.count - end >= length else {
                throw HTTPTransportError.unreachable("connection closed after \(buffer.count - end) of \(length) body bytes")
            }
            defer { buffer.removeSubrange(..<(end + length)) }
            return HTTPResponse(status: status, headers: headers, body: Array(buffer[end..<(end + length)]))
        }
        while !closed { try receive() }
        defer { buffer.removeAll() }
        return HTTPResponse(status: status, headers: headers, body: Array(buffer[end...]))
    }

    /// Port and path of `http://127.0.0.1:PORT/path`.
    static func split(_ url: String) throws -> (Int, String) {
        let prefix = "http://127.0.0.1:"
        guard url.hasPrefix(prefix) else { throw HTTPTransportError.invalidURL(url) }
        let rest = url.dropFirst(prefix.count)
        let slash = rest.firstIndex(of: "/") ?? rest.endIndex
        guard let port = Int(rest[..<slash]), (1...65535).contains(port) else { throw HTTPTransportError.invalidURL(url) }
        let path = rest[slash...]
        return (port, path.isEmpty ? "/" : String(path))
    }

    static func find(_ needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        for start in 0...(haystack.count - needle.count) where haystack[start..<(start + needle.count)].elementsEqual(needle) {
            return start
        }
        return nil
    }

    static func setTimeout(_ fd: Int32, until deadline: Date, option: Int32) {
        let left = max(0.001, deadline.timeIntervalSinceNow)
        var value = timeval(tv_sec: Int(left), tv_usec: .init((left - left.rounded(.down)) * 1_000_000))
        setsockopt(fd, SOL_SOCKET, option, &value, socklen_t(MemoryLayout<timeval>.size))
    }

    static func failure(_ deadline: Date, _ call: String) -> HTTPTransportError {
        if errno == EAGAIN || errno == EWOULDBLOCK || Date() >= deadline {
            return .timedOut(seconds: 0)
        }
        return .unreachable("\(call): \(String(cString: strerror(errno)))")
    }
}
