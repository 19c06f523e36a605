import JarvisCore

/// Fetches a host's key for a person to review: the engine of `jarvis hosts scan NAME`.
///
/// Trust on first use happens only through this explicit command: the scan connects and
/// performs the key exchange without checking the key and without logging in, and prints the
/// known_hosts line; a person compares the fingerprint out of band and adds the line.
public enum KnownHostsScanner {
    /// What a scan found.
    public struct ScannedKey: Sendable, Equatable {
        /// The known_hosts line, e.g. `[127.0.0.1]:2222 ssh-ed25519 AAAA…`.
        public var knownHostsLine: String
        /// The key's fingerprint, `SHA256:…`.
        public var fingerprint: String
        /// The key algorithm, e.g. `ssh-ed25519`.
        public var algorithm: String
    }

    /// Connects to `host`, performs the handshake and returns its host key.
    ///
    /// Wraps `libssh2_session_handshake` and `libssh2_session_hostkey` (via `SSHSession`).
    ///
    /// - Parameters:
    ///   - host: The host to scan.
    ///   - timeout: Budget for connect and handshake (default 10 s).
    /// - Returns: The key as a known_hosts line, with its fingerprint.
    /// - Throws: `SSHError` `.connectFailed`, `.connectTimeout` or `.protocolError`.
    public static func scan(_ host: HostDefinition, timeout: Duration = .seconds(10)) throws(SSHError) -> ScannedKey {
        let session = try SSHSession(connectingTo: host, deadline: ContinuousClock.now.advanced(by: timeout))
        let key = try session.hostKey()
        return ScannedKey(
            knownHostsLine: key.knownHostsLine(address: host.address, port: host.port), fingerprint: key.fingerprint, algorithm: key.algorithm)
    }
}
