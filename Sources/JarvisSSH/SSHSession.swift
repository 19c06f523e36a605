internal import CLibSSH2
import Glibc
import JarvisCore

/// One SSH connection to one host: the TCP socket plus the `LIBSSH2_SESSION` that runs over it.
///
/// The public initialiser connects (TCP with a timeout), performs the SSH handshake
/// (`libssh2_session_handshake`), checks the host key strictly against the host's
/// known_hosts file (`libssh2_knownhost_checkp`) and authenticates with a key file
/// (`libssh2_userauth_publickey_fromfile_ex`) or the ssh-agent (`libssh2_agent_userauth`),
/// all within one connect deadline. The session runs in non-blocking mode; every libssh2
/// call goes through `check`/`perform`, which own the `LIBSSH2_ERROR_EAGAIN` waits and turn
/// every failure into an `SSHError`.
///
/// Not `Sendable`: use it from one task. `deinit` disconnects (`libssh2_session_disconnect_ex`)
/// and frees the session (`libssh2_session_free`), then closes the socket.
public final class SSHSession {
    /// The host this session is connected to.
    public let host: HostDefinition
    let socket: TCPSocket
    let session: OpaquePointer
    /// True once the connection is in an unknown state (timeout, reset): no graceful goodbye.
    var isBroken = false

    /// Where a libssh2 call happened; decides which `SSHError.Code` a failure gets.
    enum Phase {
        case connect, hostKey, authenticate, openChannel, startCommand, command, close
    }

    /// `SSH_AUTH_SOCK` from the environment, if set and non-empty.
    public static var environmentAgentSocket: String? {
        guard let value = getenv("SSH_AUTH_SOCK") else { return nil }
        let path = String(cString: value)
        return path.isEmpty ? nil : path
    }

    /// Connects to `host`, checks its host key and logs in, all within `connectTimeout`.
    ///
    /// Authentication uses `host.identityFile` when set, else the ssh-agent at `agentSocketPath`.
    ///
    /// - Parameters:
    ///   - host: The host; its `knownHostsFile` must hold its key.
    ///   - connectTimeout: Longest time for TCP connect, handshake, host key check and authentication.
    ///   - agentSocketPath: ssh-agent socket, used only when the host has no identity file
    ///     (default: `SSH_AUTH_SOCK`).
    /// - Throws: `SSHError` with `.connectFailed`, `.connectTimeout`, `.hostKeyUnknown`,
    ///   `.hostKeyMismatch`, `.authFailed` or `.protocolError`.
    public convenience init(
        host: HostDefinition, connectTimeout: Duration = .seconds(10), agentSocketPath: String? = SSHSession.environmentAgentSocket
    ) throws(SSHError) {
        let deadline = ContinuousClock.now.advanced(by: connectTimeout)
        try self.init(connectingTo: host, deadline: deadline)
        try verifyHostKey(deadline: deadline)
        try authenticate(agentSocketPath: agentSocketPath, deadline: deadline)
    }

    /// Connects and performs the SSH handshake only: no host key check, no authentication.
    /// Used directly only by `KnownHostsScanner`.
    ///
    /// Wraps `libssh2_session_init_ex`, `libssh2_session_set_blocking` and `libssh2_session_handshake`.
    ///
    /// - Parameters:
    ///   - host: The host.
    ///   - deadline: When to give up.
    /// - Throws: `SSHError` `.connectFailed`, `.connectTimeout` or `.protocolError`.
    init(connectingTo host: HostDefinition, deadline: ContinuousClock.Instant) throws(SSHError) {
        try SSHLibrary.ensureInitialized(host: host.name)
        let socket: TCPSocket
        do throws(TCPSocket.Failure) {
            socket = try TCPSocket.open(address: host.address, port: host.port, deadline: deadline)
        } catch {
            let endpoint = "\(host.address):\(host.port)"
            switch error {
            case .timedOut:
                throw SSHError(code: .connectTimeout, host: host.name, message: "TCP connect to \(endpoint) timed out")
            default:
                throw SSHError(
                    code: .connectFailed, host: host.name, message: "TCP connect to \(endpoint) failed: \(error.text)",
                    underlyingCode: error.errnoValue)
            }
        }
        guard let session = jarvis_libssh2_session_init() else {
            throw SSHError(code: .protocolError, host: host.name, message: "libssh2_session_init failed")
        }
        self.host = host
        self.socket = socket
        self.session = session
        libssh2_session_set_blocking(session, 0)
        // From here on deinit frees the session and closes the socket if anything throws.
        try perform("SSH handshake", .connect, deadline: deadline) { libssh2_session_handshake(session, socket.fd) }
    }

    deinit {
        if isBroken {
            socket.shutdownBoth()
        } else {
            let deadline = ContinuousClock.now.advanced(by: .milliseconds(500))
            _ = try? perform("disconnect", .close, deadline: deadline) { jarvis_libssh2_session_disconnect(session, "jarvis done") }
        }
        // libssh2_session_free only waits in blocking mode; bound that wait.
        libssh2_session_set_blocking(session, 1)
        libssh2_session_set_timeout(session, 1000)
        libssh2_session_free(session)
    }

    /// The error code a failed libssh2 call gets in a phase.
    private static func code(for rc: Int32, in phase: Phase) -> SSHError.Code {
        let connectionLost: Set<Int32> = [
            LIBSSH2_ERROR_SOCKET_NONE, LIBSSH2_ERROR_BANNER_RECV, LIBSSH2_ERROR_BANNER_SEND, LIBSSH2_ERROR_SOCKET_SEND,
            LIBSSH2_ERROR_SOCKET_DISCONNECT, LIBSSH2_ERROR_SOCKET_TIMEOUT, LIBSSH2_ERROR_SOCKET_RECV,
        ]
        switch phase {
        case .connect:
            if rc == LIBSSH2_ERROR_TIMEOUT { return .connectTimeout }
            return connectionLost.contains(rc) ? .connectFailed : .protocolError
        case .hostKey:
            return connectionLost.contains(rc) ? .connectFailed : .hostKeyUnknown
        case .authenticate:
            return connectionLost.contains(rc) ? .connectFailed : .authFailed
        case .openChannel:
            return connectionLost.contains(rc) ? .connectFailed : .channelFailed
        case .startCommand, .command, .close:
            return .channelFailed
        }
    }

    /// libssh2's text for the last error (`libssh2_session_last_error`).
    private var lastErrorText: String? {
        var text: UnsafeMutablePointer<CChar>?
        var length: Int32 = 0
        _ = libssh2_session_last_error(session, &text, &length, 0)
        guard let text, length > 0 else { return nil }
        return String(cString: text)
    }

    /// The one place libssh2 return codes are checked.
    ///
    /// - Parameters:
    ///   - rc: What the libssh2 function returned (a count, 0, or a negative `LIBSSH2_ERROR_*`).
    ///   - operation: What was being done, for the error message.
    ///   - phase: Where; decides the error code.
    /// - Returns: `rc` when it is not negative; nil for `LIBSSH2_ERROR_EAGAIN` (wait and call again).
    /// - Throws: `SSHError` for any other negative code.
    func check<R: BinaryInteger>(_ rc: R, _ operation: String, _ phase: Phase) throws(SSHError) -> R? {
        if rc >= 0 { return rc }
        let code = Int32(truncatingIfNeeded: rc)
        if code == LIBSSH2_ERROR_EAGAIN { return nil }
        throw failure(code, operation, phase)
    }

    /// Builds the error for a failed call; marks the session broken unless the connection is known healthy.
    private func failure(_ code: Int32, _ operation: String, _ phase: Phase) -> SSHError {
        let text = lastErrorText
        let errorCode = SSHSession.code(for: code, in: phase)
        if errorCode != .hostKeyUnknown, errorCode != .authFailed { isBroken = true }
        return SSHError(
            code: errorCode, host: host.name, message: text.map { "\(operation) failed: \($0)" } ?? "\(operation) failed",
            underlyingCode: code, underlyingMessage: text)
    }

    /// Calls `call` until it stops returning `LIBSSH2_ERROR_EAGAIN`, waiting on the socket in
    /// between, at most until `deadline`.
    ///
    /// - Parameters:
    ///   - operation: What is being done, for errors.
    ///   - phase: Where; decides the error code.
    ///   - deadline: When to give up.
    ///   - call: One non-blocking libssh2 call.
    /// - Returns: The call's non-negative result.
    /// - Throws: `SSHError` from `check`, or a timeout error when the deadline passes.
    @discardableResult
    func perform<R: BinaryInteger>(
        _ operation: String, _ phase: Phase, deadline: ContinuousClock.Instant, _ call: () -> R
    ) throws(SSHError) -> R {
        while true {
            if let value = try check(call(), operation, phase) { return value }
            try waitForSocket(operation, phase, deadline: deadline)
        }
    }

    /// Like `perform` for libssh2 calls that return a pointer, NULL meaning "see `libssh2_session_last_errno`".
    ///
    /// - Parameters:
    ///   - operation: What is being done, for errors.
    ///   - phase: Where; decides the error code.
    ///   - deadline: When to give up.
    ///   - call: One non-blocking libssh2 call.
    /// - Returns: The non-NULL pointer.
    /// - Throws: `SSHError` from `check`, or a timeout error when the deadline passes.
    func performPointer(
        _ operation: String, _ phase: Phase, deadline: ContinuousClock.Instant, _ call: () -> OpaquePointer?
    ) throws(SSHError) -> OpaquePointer {
        while true {
            if let pointer = call() { return pointer }
            let rc = libssh2_session_last_errno(session)
            guard rc != 0 else { throw failure(LIBSSH2_ERROR_CHANNEL_FAILURE, operation, phase) }
            _ = try check(rc, operation, phase)
            try waitForSocket(operation, phase, deadline: deadline)
        }
    }

    /// Waits until the socket is ready in the direction libssh2 is blocked on
    /// (`libssh2_session_block_directions`), at most until `deadline`.
    ///
    /// - Throws: A timeout `SSHError` when the deadline has passed.
    func waitForSocket(_ operation: String, _ phase: Phase, deadline: ContinuousClock.Instant) throws(SSHError) {
        let timeout = deadline.pollTimeout()
        guard timeout > 0 else {
            isBroken = true
            switch phase {
            case .connect, .hostKey, .authenticate:
                throw SSHError(code: .connectTimeout, host: host.name, message: "\(operation) did not finish within the connect timeout")
            case .openChannel, .startCommand, .command, .close:
                throw SSHError(code: .commandTimeout, host: host.name, message: "\(operation) did not finish within the command timeout")
            }
        }
        _ = socket.poll(events: pollEvents, timeoutMilliseconds: timeout)
    }

    /// The `poll` events matching `libssh2_session_block_directions`.
    var pollEvents: Int16 {
        let directions = libssh2_session_block_directions(session)
        var events: Int16 = 0
        if directions & LIBSSH2_SESSION_BLOCK_INBOUND != 0 { events |= Int16(POLLIN) }
        if directions & LIBSSH2_SESSION_BLOCK_OUTBOUND != 0 { events |= Int16(POLLOUT) }
        return events == 0 ? Int16(POLLIN) : events
    }
}

@available(*, unavailable)
extension SSHSession: Sendable {}
