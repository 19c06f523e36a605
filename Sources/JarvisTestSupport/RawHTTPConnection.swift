import Foundation
import JarvisCore

/// One client TCP connection to 127.0.0.1 that sends exactly the bytes a test gives it
/// (slowly, cut short, several requests in a row) and reads responses one by one.
public final class RawHTTPConnection {
    public let fd: Int32
    private var pending: [UInt8] = []

    /// Connects to 127.0.0.1:`port`.
    public init(port: Int) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw TestServerError("socket: \(String(cString: strerror(errno)))") }
        var address = LoopbackPorts.loopback(port: port)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            close(fd)
            throw TestServerError("connect to 127.0.0.1:\(port): \(String(cString: strerror(errno)))")
        }
    }

    deinit { close(fd) }

    /// Sends `bytes`; false when the server has closed the connection.
    @discardableResult
    public func send(_ bytes: [UInt8]) -> Bool {
        var sent = 0
        while sent < bytes.count {
            let n = bytes[sent...].withUnsafeBytes { TestSockets.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n < 0, errno == EINTR { continue }
            guard n > 0 else { return false }
            sent += n
        }
        return true
    }

    @discardableResult
    public func send(_ text: String) -> Bool { send(Array(text.utf8)) }

    /// Reads the next response.
    /// - Throws: `HTTPTransportError` when the connection closes first or `timeout` passes.
    public func response(timeout: Double = 10) throws -> HTTPResponse {
        try LoopbackHTTPTransport.readResponse(fd, until: Date().addingTimeInterval(timeout), buffer: &pending)
    }

    /// True when the server closes the connection (reads EOF or a reset) within `timeout`.
    public func closedByServer(within timeout: Double) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        var byte = [UInt8](repeating: 0, count: 4096)
        while Date() < deadline {
            var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard poll(&poller, 1, 50) > 0 else { continue }
            let n = TestSockets.recv(fd, &byte, byte.count)
            if n == 0 || (n < 0 && errno != EINTR && errno != EAGAIN) { return true }
        }
        return false
    }

    /// A POST of `body` to `path` with the headers given, framed by Content-Length.
    public static func post(_ path: String, body: [UInt8], headers: [String] = [], close: Bool = false) -> [UInt8] {
        var head = "POST \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        for header in headers { head += header + "\r\n" }
        head += "Content-Length: \(body.count)\r\n" + (close ? "Connection: close\r\n" : "") + "\r\n"
        return Array(head.utf8) + body
    }
}
