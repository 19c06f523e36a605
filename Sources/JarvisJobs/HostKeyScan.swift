import JarvisCore
import JarvisSSH

/// `jarvis hosts scan NAME`: fetches a host's key as a known_hosts line for a person to review.
/// Nothing is written anywhere: trust on first use happens only when that person adds the line.
public enum HostKeyScan {
    /// A scanned key.
    public struct Key: Sendable, Equatable {
        /// The known_hosts line, e.g. `[127.0.0.1]:2222 ssh-ed25519 AAAA…`.
        public var knownHostsLine: String
        /// `SHA256:…`, as `ssh-keygen -lf` prints it.
        public var fingerprint: String
        /// Key algorithm, e.g. `ssh-ed25519`.
        public var algorithm: String
    }

    /// Why a scan failed, safe to print (names the host, never a secret).
    public struct Failure: Error, Sendable, CustomStringConvertible {
        /// What happened.
        public var description: String
    }

    /// Connects, performs the SSH key exchange without checking the key or logging in, and
    /// returns the key (`KnownHostsScanner.scan`).
    ///
    /// - Parameters:
    ///   - host: A remote host.
    ///   - timeout: Budget for connect and handshake.
    /// - Returns: The key.
    /// - Throws: `HostKeyScan.Failure` when the host cannot be reached or speaks no SSH.
    public static func scan(_ host: HostDefinition, timeout: Duration) throws -> Key {
        do {
            let key = try KnownHostsScanner.scan(host, timeout: timeout)
            return Key(knownHostsLine: key.knownHostsLine, fingerprint: key.fingerprint, algorithm: key.algorithm)
        } catch {
            throw Failure(description: error.description)
        }
    }
}
