internal import CLibSSH2
import JarvisCore

/// The host key a server presented during the handshake.
public struct SSHHostKey: Sendable, Equatable {
    /// The key blob as sent on the wire (what known_hosts stores in base64).
    public var blob: [UInt8]
    /// The key algorithm name as known_hosts writes it: `ssh-ed25519`, `ecdsa-sha2-nistp256`, `ssh-rsa`…
    public var algorithm: String
    /// OpenSSH-style fingerprint: `SHA256:` and the unpadded base64 of the SHA-256 of the blob.
    public var fingerprint: String

    /// The known_hosts line for this key at `address:port`: `[127.0.0.1]:2222 ssh-ed25519 AAAA…`
    /// (the bracketed form for any port but 22, as OpenSSH writes it).
    ///
    /// - Parameters:
    ///   - address: Host address as jarvis connects to it.
    ///   - port: SSH port.
    public func knownHostsLine(address: String, port: Int) -> String {
        let hostField = port == 22 ? address : "[\(address)]:\(port)"
        return "\(hostField) \(algorithm) \(Base64.encode(blob))"
    }
}

extension SSHSession {
    /// The host key of the server (`libssh2_session_hostkey`) with its SHA-256 fingerprint
    /// (`libssh2_hostkey_hash` with `LIBSSH2_HOSTKEY_HASH_SHA256`).
    ///
    /// - Throws: `SSHError` `.protocolError` when libssh2 has no key (no handshake yet).
    public func hostKey() throws(SSHError) -> SSHHostKey {
        var length = 0
        var type: Int32 = 0
        guard let key = libssh2_session_hostkey(session, &length, &type), length > 0 else {
            throw SSHError(code: .protocolError, host: host.name, message: "the server presented no host key")
        }
        let blob = UnsafeRawBufferPointer(start: key, count: length).map { $0 }
        guard let hash = libssh2_hostkey_hash(session, LIBSSH2_HOSTKEY_HASH_SHA256) else {
            throw SSHError(code: .protocolError, host: host.name, message: "libssh2 cannot hash the host key with SHA-256")
        }
        let digest = UnsafeRawBufferPointer(start: hash, count: 32).map { $0 }
        return SSHHostKey(blob: blob, algorithm: SSHSession.algorithmName(type), fingerprint: "SHA256:" + Base64.encode(digest, padding: false))
    }

    /// Checks the server's key against `host.knownHostsFile`, strictly: only an exact match passes.
    ///
    /// Wraps `libssh2_knownhost_init`, `libssh2_knownhost_readfile` and `libssh2_knownhost_checkp`,
    /// which looks up `[address]:port` first, then the bare address (libssh2 lets a bare line match
    /// any port). The key type is part of the lookup, so a file holding several key types for the
    /// host works.
    ///
    /// - Parameter deadline: Unused by the file check itself; kept for the uniform call style.
    /// - Throws: `SSHError` `.hostKeyUnknown` (no file, unreadable file, no entry) or
    ///   `.hostKeyMismatch` (a different key is recorded), both naming the host and the fingerprint seen.
    func verifyHostKey(deadline: ContinuousClock.Instant) throws(SSHError) {
        let key = try hostKey()
        let endpoint = host.port == 22 ? host.address : "[\(host.address)]:\(host.port)"
        func refuse(_ code: SSHError.Code, _ message: String) -> SSHError {
            SSHError(code: code, host: host.name, message: message, fingerprint: key.fingerprint)
        }
        guard let path = host.knownHostsFile, !path.isEmpty else {
            throw refuse(.hostKeyUnknown, "no known_hosts file is configured for the host; refusing to connect")
        }
        guard let knownHosts = libssh2_knownhost_init(session) else {
            throw SSHError(code: .protocolError, host: host.name, message: "libssh2_knownhost_init failed")
        }
        defer { libssh2_knownhost_free(knownHosts) }
        do {
            try perform("reading known_hosts file \(path)", .hostKey, deadline: deadline) {
                libssh2_knownhost_readfile(knownHosts, path, LIBSSH2_KNOWNHOST_FILE_OPENSSH)
            }
        } catch {
            throw refuse(.hostKeyUnknown, "known_hosts file \(path) cannot be read or has a line libssh2 cannot parse; refusing to connect")
        }
        let typeMask = LIBSSH2_KNOWNHOST_TYPE_PLAIN | LIBSSH2_KNOWNHOST_KEYENC_RAW | SSHSession.knownHostKeyBits(key.algorithm)
        var entry: UnsafeMutablePointer<libssh2_knownhost>?
        let result = key.blob.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { chars in
                libssh2_knownhost_checkp(knownHosts, host.address, Int32(host.port), chars.baseAddress, chars.count, typeMask, &entry)
            }
        }
        switch result {
        case LIBSSH2_KNOWNHOST_CHECK_MATCH:
            return
        case LIBSSH2_KNOWNHOST_CHECK_MISMATCH:
            var error = refuse(
                .hostKeyMismatch,
                "the host key of \(endpoint) does not match the one recorded in \(path): possible man-in-the-middle; refusing to connect")
            error.knownHostsLine = entry.flatMap { Self.line(of: $0, in: knownHosts) }
            throw error
        case LIBSSH2_KNOWNHOST_CHECK_NOTFOUND:
            throw refuse(
                .hostKeyUnknown, "no \(key.algorithm) key for \(endpoint) in \(path); refusing to connect (review `jarvis hosts scan \(host.name)`)")
        default:
            throw refuse(.hostKeyUnknown, "checking the host key of \(endpoint) against \(path) failed; refusing to connect")
        }
    }

    /// known_hosts algorithm name of a `LIBSSH2_HOSTKEY_TYPE_*`.
    /// The known_hosts line libssh2 holds for `entry`, as OpenSSH writes it (hashed names stay hashed).
    static func line(of entry: UnsafeMutablePointer<libssh2_knownhost>, in knownHosts: OpaquePointer) -> String? {
        var buffer = [CChar](repeating: 0, count: 16 * 1024)
        var length = 0
        let status = libssh2_knownhost_writeline(knownHosts, entry, &buffer, buffer.count, &length, LIBSSH2_KNOWNHOST_FILE_OPENSSH)
        guard status == 0, length > 0 else { return nil }
        var text = String(decoding: buffer.prefix(length).map { UInt8(bitPattern: $0) }, as: UTF8.self)
        while text.last?.isWhitespace == true { text.removeLast() }
        return text
    }

    static func algorithmName(_ type: Int32) -> String {
        switch type {
        case LIBSSH2_HOSTKEY_TYPE_RSA: return "ssh-rsa"
        case LIBSSH2_HOSTKEY_TYPE_DSS: return "ssh-dss"
        case LIBSSH2_HOSTKEY_TYPE_ECDSA_256: return "ecdsa-sha2-nistp256"
        case LIBSSH2_HOSTKEY_TYPE_ECDSA_384: return "ecdsa-sha2-nistp384"
        case LIBSSH2_HOSTKEY_TYPE_ECDSA_521: return "ecdsa-sha2-nistp521"
        case LIBSSH2_HOSTKEY_TYPE_ED25519: return "ssh-ed25519"
        default: return "unknown"
        }
    }

    /// The `LIBSSH2_KNOWNHOST_KEY_*` bits for an algorithm name (0: let libssh2 ignore the type).
    static func knownHostKeyBits(_ algorithm: String) -> Int32 {
        switch algorithm {
        case "ssh-rsa": return LIBSSH2_KNOWNHOST_KEY_SSHRSA
        case "ssh-dss": return LIBSSH2_KNOWNHOST_KEY_SSHDSS
        case "ecdsa-sha2-nistp256": return LIBSSH2_KNOWNHOST_KEY_ECDSA_256
        case "ecdsa-sha2-nistp384": return LIBSSH2_KNOWNHOST_KEY_ECDSA_384
        case "ecdsa-sha2-nistp521": return LIBSSH2_KNOWNHOST_KEY_ECDSA_521
        case "ssh-ed25519": return LIBSSH2_KNOWNHOST_KEY_ED25519
        default: return 0
        }
    }
}
