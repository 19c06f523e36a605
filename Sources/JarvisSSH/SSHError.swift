/// Why an SSH operation failed: one error type for the whole libssh2 adapter.
///
/// `description` is safe to log (host name, what failed, the host key fingerprint seen);
/// `debugDescription` adds libssh2's own error number and text.
public struct SSHError: Error, Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible {
    /// What kind of failure this is.
    public enum Code: String, Sendable, Hashable, CustomStringConvertible {
        /// TCP connect refused or failed, or the connection broke before the command started.
        case connectFailed
        /// No TCP connection, SSH banner, key exchange or authentication within the connect timeout.
        case connectTimeout
        /// The host key is not in the host's known_hosts file (or that file is missing or unreadable).
        case hostKeyUnknown
        /// known_hosts holds a different key for the host: possible man in the middle.
        case hostKeyMismatch
        /// The server accepted none of the offered keys, or no key was available.
        case authFailed
        /// Opening the channel or starting the command took longer than the command timeout.
        case commandTimeout
        /// The channel failed after the command may have started; the command must not be re-run.
        case channelFailed
        /// The SSH protocol failed in a way that is not a connection problem (key exchange, bad packet).
        case protocolError
        /// The argument list cannot be sent (empty, or an argument holds NUL).
        case invalidCommand

        /// The code's name, e.g. `hostKeyMismatch`.
        public var description: String { rawValue }
    }

    /// What kind of failure this is.
    public var code: Code
    /// Name of the host in the inventory.
    public var host: String
    /// What failed, safe to log.
    public var message: String
    /// The host key fingerprint seen, OpenSSH style (`SHA256:…`), for host key failures.
    public var fingerprint: String?
    /// For a changed host key: the known_hosts line the offered key conflicts with.
    public var knownHostsLine: String?
    /// libssh2's error number (`LIBSSH2_ERROR_*`) or an errno, when there is one.
    public var underlyingCode: Int32?
    /// libssh2's error text (`libssh2_session_last_error`) or `strerror`, when there is one.
    public var underlyingMessage: String?

    /// Creates an error.
    ///
    /// - Parameters:
    ///   - code: The kind of failure.
    ///   - host: Host name.
    ///   - message: What failed, safe to log.
    ///   - fingerprint: Host key fingerprint seen, if relevant.
    ///   - underlyingCode: libssh2 error number or errno.
    ///   - underlyingMessage: libssh2 error text or strerror.
    public init(
        code: Code, host: String, message: String, fingerprint: String? = nil, underlyingCode: Int32? = nil, underlyingMessage: String? = nil
    ) {
        self.code = code
        self.host = host
        self.message = message
        self.fingerprint = fingerprint
        self.underlyingCode = underlyingCode
        self.underlyingMessage = underlyingMessage
    }

    /// True for failures that happened before any command could have started and that a new
    /// connection may cure (refused, timed out, reset): the only ones `SSHExecutor` retries.
    public var isConnectionClass: Bool { code == .connectFailed || code == .connectTimeout }

    /// True when the host's key was refused (unknown or changed): a security event.
    public var isHostKeyRefusal: Bool { code == .hostKeyUnknown || code == .hostKeyMismatch }

    /// `SSH <code> for host <host>: <message>`, plus the fingerprint seen; safe to log.
    public var description: String {
        var text = "SSH \(code) for host \(host): \(message)"
        if let fingerprint { text += " (host key \(fingerprint))" }
        return text
    }

    /// `description` plus libssh2's error number and text.
    public var debugDescription: String {
        var text = description
        if let underlyingCode { text += " [\(underlyingCode)]" }
        if let underlyingMessage { text += " \(underlyingMessage)" }
        return text
    }
}
