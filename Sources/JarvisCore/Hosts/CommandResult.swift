/// What one command run produced, locally or over SSH.
///
/// stdout and stderr are kept apart and each is capped; bytes past the cap were read and
/// thrown away, and the matching `…Truncated` flag is set.
public struct CommandResult: Sendable, Equatable, Hashable {
    /// Standard output, at most the cap.
    public var stdout: [UInt8]
    /// Standard error, at most the cap.
    public var stderr: [UInt8]
    /// True when stdout had more bytes than the cap.
    public var stdoutTruncated: Bool
    /// True when stderr had more bytes than the cap.
    public var stderrTruncated: Bool
    /// Exit status, when the command exited normally and reported one.
    public var exitStatus: Int32?
    /// Name of the signal that killed the command without the `SIG` prefix (`KILL`, `TERM`), if any.
    public var exitSignal: String?
    /// True when the command was stopped because it ran past its timeout.
    public var timedOut: Bool
    /// Wall time from the start of the command to its end (or to its stop).
    public var duration: Duration

    /// Creates a result.
    ///
    /// - Parameters:
    ///   - stdout: Standard output (capped).
    ///   - stderr: Standard error (capped).
    ///   - stdoutTruncated: Whether stdout was cut at the cap.
    ///   - stderrTruncated: Whether stderr was cut at the cap.
    ///   - exitStatus: Exit status, if any.
    ///   - exitSignal: Killing signal name, if any.
    ///   - timedOut: Whether the timeout stopped it.
    ///   - duration: Wall time.
    public init(
        stdout: [UInt8] = [], stderr: [UInt8] = [], stdoutTruncated: Bool = false, stderrTruncated: Bool = false,
        exitStatus: Int32? = nil, exitSignal: String? = nil, timedOut: Bool = false, duration: Duration = .zero
    ) {
        self.stdout = stdout
        self.stderr = stderr
        self.stdoutTruncated = stdoutTruncated
        self.stderrTruncated = stderrTruncated
        self.exitStatus = exitStatus
        self.exitSignal = exitSignal
        self.timedOut = timedOut
        self.duration = duration
    }

    /// stdout decoded as UTF-8, invalid bytes replaced by U+FFFD.
    public var stdoutText: String { String(decoding: stdout, as: UTF8.self) }
    /// stderr decoded as UTF-8, invalid bytes replaced by U+FFFD.
    public var stderrText: String { String(decoding: stderr, as: UTF8.self) }
    /// True when the command exited with status 0 within its timeout.
    public var succeeded: Bool { exitStatus == 0 && !timedOut && exitSignal == nil }
}
