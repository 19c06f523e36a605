/// A host whose SSH key jarvis refused: the host offered a key that its known_hosts file does
/// not hold (unknown) or that contradicts the one it holds (changed). Either may be a
/// man-in-the-middle, so it is a security event: people are told once, and jarvis does not
/// connect to the host again until its known_hosts file changes (after `jarvis hosts scan`
/// and a person's review).
public struct HostKeyRefusal: Sendable, Codable, Equatable, Hashable {
    /// Unknown or changed key.
    public enum Kind: String, Sendable, Codable, Hashable {
        /// No key for the host in its known_hosts file.
        case unknown
        /// The file holds another key for the host.
        case changed
    }

    /// Inventory host name.
    public var host: String
    /// Unknown or changed.
    public var kind: Kind
    /// The offered key's fingerprint, `SHA256:…`.
    public var fingerprint: String
    /// The known_hosts line the offered key conflicts with (for a changed key), as libssh2 reads it.
    public var knownHostsLine: String?
    /// The known_hosts file checked.
    public var knownHostsFile: String?
    /// A digest of the file's content when the key was refused: a different stamp means
    /// someone changed the file, and jarvis may try again.
    public var knownHostsStamp: String
    /// When it was refused, RFC 3339.
    public var at: String

    /// Creates a refusal.
    public init(
        host: String, kind: Kind, fingerprint: String, knownHostsLine: String?, knownHostsFile: String?, knownHostsStamp: String, at: String
    ) {
        self.host = host
        self.kind = kind
        self.fingerprint = fingerprint
        self.knownHostsLine = knownHostsLine
        self.knownHostsFile = knownHostsFile
        self.knownHostsStamp = knownHostsStamp
        self.at = at
    }

    /// The stamp of a known_hosts file's content: the first 16 hex digits of its SHA-256, or
    /// `missing` when the file could not be read. Any edit that changes the file changes it.
    ///
    /// - Parameter contents: The file's bytes, nil when it could not be read.
    public static func knownHostsStamp(_ contents: [UInt8]?) -> String {
        guard let contents else { return "missing" }
        return String(SHA256.hex(contents).prefix(16))
    }

    /// One line for logs and the host's last error.
    public var summary: String {
        let line = knownHostsLine.map { "; it conflicts with the known_hosts line `\($0)`" } ?? ""
        return "host key of \(host) refused (\(kind == .changed ? "changed" : "unknown") key, offered \(fingerprint))\(line);"
            + " not connecting again until \(knownHostsFile ?? "its known_hosts file") changes (review `jarvis hosts scan \(host)`)"
    }
}

extension HostNotifier {
    /// Nothing: a notifier that does not announce refused keys.
    public func hostKeyRefused(_ refusal: HostKeyRefusal) {}
}
