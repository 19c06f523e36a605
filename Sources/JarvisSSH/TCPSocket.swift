import Glibc

/// A non-blocking TCP socket that owns its file descriptor.
///
/// Wraps `getaddrinfo`, `socket`, `connect`, `poll` and `getsockopt(SO_ERROR)`. The connect is
/// started non-blocking, so every wait is bounded: either by a `poll` timeout (blocking
/// callers) or by the caller polling with a zero timeout between `Task.sleep`s (async callers).
/// Not `Sendable`: one owner at a time.
final class TCPSocket {
    /// The file descriptor; closed in `deinit`.
    let fd: Int32
    /// True once the TCP handshake has completed.
    private(set) var isConnected: Bool

    /// Why a socket could not be set up or connected.
    enum Failure: Error {
        /// Name resolution failed (`getaddrinfo` text).
        case resolve(String)
        /// A system call failed with this errno.
        case system(call: String, errno: Int32)
        /// The connect did not complete before the deadline.
        case timedOut
    }

    private init(fd: Int32, isConnected: Bool) {
        self.fd = fd
        self.isConnected = isConnected
    }

    deinit { close(fd) }

    /// Starts a non-blocking connect to `address:port` (the first address `getaddrinfo` gives).
    ///
    /// Wraps `getaddrinfo` (numeric addresses resolve without I/O; names use the system
    /// resolver, which has its own timeouts), `socket(SOCK_NONBLOCK | SOCK_CLOEXEC)` and `connect`.
    ///
    /// - Parameters:
    ///   - address: IP address or host name.
    ///   - port: TCP port.
    /// - Throws: `Failure.resolve` or `Failure.system` (e.g. `ECONNREFUSED` reported at once).
    static func startConnect(address: String, port: Int) throws(Failure) -> TCPSocket {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_flags = AI_NUMERICSERV
        var list: UnsafeMutablePointer<addrinfo>?
        let rc = getaddrinfo(address, String(port), &hints, &list)
        guard rc == 0, let first = list else {
            let text = rc == 0 ? "no address" : String(cString: gai_strerror(rc))
            throw .resolve("cannot resolve \(address): \(text)")
        }
        defer { freeaddrinfo(list) }
        let info = first.pointee
        let type = Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue)
        let fd = socket(info.ai_family, type, info.ai_protocol)
        guard fd >= 0 else { throw .system(call: "socket", errno: errno) }
        let socket = TCPSocket(fd: fd, isConnected: false)
        var one: Int32 = 1
        _ = setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        while true {
            if connect(fd, info.ai_addr, info.ai_addrlen) == 0 {
                socket.isConnected = true
                return socket
            }
            switch errno {
            case EINTR: continue
            case EINPROGRESS: return socket
            case let failure: throw .system(call: "connect", errno: failure)
            }
        }
    }

    /// Connects, waiting at most until `deadline` (Linux: Glibc only).
    ///
    /// - Parameters:
    ///   - address: IP address or host name.
    ///   - port: TCP port.
    ///   - deadline: When to give up.
    /// - Throws: `Failure.timedOut`, `Failure.resolve` or `Failure.system`.
    static func open(address: String, port: Int, deadline: ContinuousClock.Instant) throws(Failure) -> TCPSocket {
        let socket = try startConnect(address: address, port: port)
        while !socket.isConnected {
            let timeout = deadline.pollTimeout()
            let ready = socket.poll(events: Int16(POLLOUT), timeoutMilliseconds: timeout)
            if ready != 0 {
                try socket.finishConnect()
            } else if timeout == 0 {
                throw .timedOut
            }
        }
        return socket
    }

    /// Checks the outcome of a connect that `poll` reported writable.
    ///
    /// Wraps `getsockopt(SO_ERROR)`.
    ///
    /// - Throws: `Failure.system` with the connect's errno (e.g. `ECONNREFUSED`).
    func finishConnect() throws(Failure) {
        var error: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        guard getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length) == 0 else { throw .system(call: "getsockopt", errno: errno) }
        guard error == 0 else { throw .system(call: "connect", errno: error) }
        isConnected = true
    }

    /// Waits for `events` on the socket.
    ///
    /// Wraps `poll`, retried on `EINTR`.
    ///
    /// - Parameters:
    ///   - events: `POLLIN`, `POLLOUT` or both.
    ///   - timeoutMilliseconds: Longest wait; 0 only checks.
    /// - Returns: The events that occurred (`revents`), 0 on timeout.
    func poll(events: Int16, timeoutMilliseconds: Int32) -> Int16 {
        var descriptor = pollfd(fd: fd, events: events, revents: 0)
        while true {
            let rc = Glibc.poll(&descriptor, 1, timeoutMilliseconds)
            if rc > 0 { return descriptor.revents }
            if rc == 0 { return 0 }
            if errno != EINTR { return Int16(POLLERR) }
        }
    }

    /// Reads what is available without waiting.
    ///
    /// Wraps `recv(MSG_DONTWAIT)`.
    ///
    /// - Parameter buffer: Where to put the bytes.
    /// - Returns: Bytes read, 0 at end of stream, nil when nothing is available yet.
    /// - Throws: `Failure.system` for a reset or other error.
    func receiveAvailable(into buffer: UnsafeMutableRawBufferPointer) throws(Failure) -> Int? {
        while true {
            let count = recv(fd, buffer.baseAddress, buffer.count, Int32(MSG_DONTWAIT))
            if count >= 0 { return count }
            switch errno {
            case EINTR: continue
            case EAGAIN, EWOULDBLOCK: return nil
            case let failure: throw .system(call: "recv", errno: failure)
            }
        }
    }

    /// Shuts both directions down so that any pending or later I/O on it fails at once.
    ///
    /// Wraps `shutdown(SHUT_RDWR)`.
    func shutdownBoth() {
        _ = shutdown(fd, Int32(SHUT_RDWR))
    }
}

extension TCPSocket.Failure {
    /// Words for the failure, safe to log.
    var text: String {
        switch self {
        case .resolve(let text): return text
        case .system(let call, let code): return "\(call): \(String(cString: strerror(code)))"
        case .timedOut: return "TCP connect timed out"
        }
    }

    /// The errno, when there is one.
    var errnoValue: Int32? {
        if case .system(_, let code) = self { return code }
        return nil
    }
}
