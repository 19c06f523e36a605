/// Why a local command could not be run.
public struct LocalExecutionError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What kind of failure this is.
    public enum Code: String, Sendable, Hashable, CustomStringConvertible {
        /// The argument list is empty or an argument holds NUL.
        case invalidCommand
        /// `posix_spawnp` failed: no such program, not executable…
        case spawnFailed
        /// A pipe or poll call failed.
        case systemCallFailed

        /// The code's name.
        public var description: String { rawValue }
    }

    /// What kind of failure this is.
    public var code: Code
    /// What failed, safe to log (names the program, never the other arguments).
    public var message: String
    /// The errno, when there is one.
    public var errno: Int32?

    /// Creates an error.
    ///
    /// - Parameters:
    ///   - code: The kind of failure.
    ///   - message: What failed.
    ///   - errno: The errno, if any.
    public init(code: Code, message: String, errno: Int32? = nil) {
        self.code = code
        self.message = message
        self.errno = errno
    }

    /// `local <code>: <message>`.
    public var description: String { "local \(code): \(message)" }
}
