internal import CLibSSH2
internal import CLibSSH2Lazy

/// Process-wide libssh2 initialisation.
///
/// Wraps `libssh2_init`, which must run once before any session is created and is not
/// thread-safe itself; a `static let` runs it exactly once, on first use, under Swift's
/// lazy-global lock. jarvis is a batch tool, so `libssh2_exit` is left to process exit.
enum SSHLibrary {
    /// Why libssh2 could not be loaded (it is loaded on first use, see CLibSSH2Lazy), if so.
    private static let loadFailure: String? = {
        var error: UnsafePointer<CChar>?
        return jarvis_libssh2_load(&error) == 0 ? nil : error.map { String(cString: $0) } ?? "unknown error"
    }()

    /// The return code of the one `libssh2_init(0)` call.
    private static let initResult: Int32 = libssh2_init(0)

    /// Initialises libssh2 if no one has yet.
    ///
    /// - Parameter host: Host name for the error.
    /// - Throws: `SSHError` `.protocolError` when libssh2 cannot be loaded or `libssh2_init`
    ///   failed (crypto backend unusable).
    static func ensureInitialized(host: String) throws(SSHError) {
        if let loadFailure {
            throw SSHError(code: .protocolError, host: host, message: "cannot load libssh2: \(loadFailure)")
        }
        let rc = initResult
        guard rc == 0 else {
            throw SSHError(code: .protocolError, host: host, message: "libssh2_init failed", underlyingCode: rc)
        }
    }

    /// The libssh2 version linked at run time (`libssh2_version`), e.g. `1.10.0`.
    static var version: String {
        guard let text = libssh2_version(0) else { return "unknown" }
        return String(cString: text)
    }
}
