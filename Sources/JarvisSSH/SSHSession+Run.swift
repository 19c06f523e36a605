internal import CLibSSH2
import JarvisCore

extension SSHSession {
    /// Seconds coreutils `timeout` waits after SIGTERM before it sends SIGKILL.
    static let killAfterSeconds = 2

    /// The exact command string sent for `argv`: `timeout --signal=TERM --kill-after=2 N <quoted argv>`.
    ///
    /// Remote `timeout` (GNU coreutils) stops the command's whole process group when the
    /// command timeout passes, so a timed-out command does not keep running on the host.
    ///
    /// - Parameters:
    ///   - argv: The command and its arguments.
    ///   - timeout: The command timeout.
    ///   - host: Host name, for the error.
    /// - Returns: The string passed to `libssh2_channel_process_startup` ("exec").
    /// - Throws: `SSHError` `.invalidCommand` for an empty list or an argument holding NUL.
    public static func remoteCommand(argv: [String], timeout: Duration, host: String) throws(SSHError) -> String {
        do {
            let quoted = try ShellQuoting.quote(argv)
            return "timeout --signal=TERM --kill-after=\(killAfterSeconds) \(timeout.secondsArgument) \(quoted)"
        } catch {
            throw SSHError(code: .invalidCommand, host: host, message: error.description)
        }
    }

    /// Runs one command and collects its output and exit status.
    ///
    /// Opens a channel (`libssh2_channel_open_ex`), starts `remoteCommand(argv:timeout:host:)` with
    /// `libssh2_channel_process_startup` ("exec"), then reads stdout (`libssh2_channel_read_ex`
    /// stream 0) and stderr (stream `SSH_EXTENDED_DATA_STDERR`) in one non-blocking loop that
    /// waits on the socket, so neither stream can stall the other. Bytes past `outputCap` are
    /// read and dropped. After end of file it closes the channel (`libssh2_channel_close`,
    /// `libssh2_channel_wait_closed`) and reads `libssh2_channel_get_exit_signal` and
    /// `libssh2_channel_get_exit_status`.
    ///
    /// Timeouts: remote `timeout` stops the command after `timeout` (status 124, or KILL when it
    /// had to SIGKILL), which is reported as `timedOut`. If nothing ends the channel within
    /// `timeout` + 3 s, it is abandoned and reported as `timedOut` with no exit status; the
    /// session is then unusable.
    ///
    /// - Parameters:
    ///   - argv: The command and its arguments; sent single-quoted, never interpolated.
    ///   - timeout: The command timeout.
    ///   - outputCap: Most bytes kept per stream (default 64 KiB).
    /// - Returns: The result; a non-zero exit status is a result, not an error.
    /// - Throws: `SSHError` `.invalidCommand`, `.connectFailed` (lost before the command started),
    ///   `.commandTimeout` (could not start it in time), `.channelFailed` (failed after it may have started).
    public func run(argv: [String], timeout: Duration, outputCap: Int = 64 * 1024) throws(SSHError) -> CommandResult {
        let command = try SSHSession.remoteCommand(argv: argv, timeout: timeout, host: host.name)
        let clock = ContinuousClock()
        let start = clock.now
        let startDeadline = start.advanced(by: timeout)
        let hardDeadline = start.advanced(by: timeout + .seconds(SSHSession.killAfterSeconds + 1))
        let channel = try SSHChannel(session: self, deadline: startDeadline)
        let handle = channel.handle
        try perform("starting the command", .startCommand, deadline: startDeadline) {
            command.withCString { jarvis_libssh2_channel_exec(handle, $0) }
        }

        var stdout = CappedBuffer(cap: outputCap)
        var stderr = CappedBuffer(cap: outputCap)
        var abandoned = false
        let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: 32 * 1024, alignment: 16)
        defer { chunk.deallocate() }
        while true {
            let progressed = try drain(handle, into: &stdout, &stderr, chunk: chunk)
            if libssh2_channel_eof(handle) != 0 {
                _ = try drain(handle, into: &stdout, &stderr, chunk: chunk)
                break
            }
            if progressed { continue }
            let wait = hardDeadline.pollTimeout()
            if wait == 0 {
                abandoned = true
                isBroken = true
                break
            }
            _ = socket.poll(events: pollEvents, timeoutMilliseconds: wait)
        }

        var exitStatus: Int32?
        var exitSignal: String?
        if !abandoned {
            let closeDeadline = min(hardDeadline, clock.now.advanced(by: .seconds(5)))
            try perform("closing the channel", .close, deadline: closeDeadline) { libssh2_channel_close(handle) }
            try perform("waiting for the channel to close", .close, deadline: closeDeadline) { libssh2_channel_wait_closed(handle) }
            exitSignal = try readExitSignal(handle)
            if exitSignal == nil { exitStatus = libssh2_channel_get_exit_status(handle) }
        }
        let duration = start.duration(to: clock.now)
        // coreutils `timeout` exits 124 after SIGTERM worked; when it had to SIGKILL, it kills
        // itself too, so sshd reports status 137 or signal KILL.
        let stoppedByRemoteTimeout = duration >= timeout && (exitStatus == 124 || exitStatus == 137 || exitSignal == "KILL")
        return CommandResult(
            stdout: stdout.bytes, stderr: stderr.bytes, stdoutTruncated: stdout.truncated, stderrTruncated: stderr.truncated,
            exitStatus: exitStatus, exitSignal: exitSignal, timedOut: abandoned || stoppedByRemoteTimeout, duration: duration)
    }

    /// Reads whatever both streams have buffered, without waiting.
    ///
    /// - Returns: True when any byte was read.
    private func drain(
        _ channel: OpaquePointer, into stdout: inout CappedBuffer, _ stderr: inout CappedBuffer, chunk: UnsafeMutableRawBufferPointer
    ) throws(SSHError) -> Bool {
        var progressed = false
        let base = chunk.baseAddress?.assumingMemoryBound(to: CChar.self)
        while let count = try check(jarvis_libssh2_channel_read(channel, base, chunk.count), "reading stdout", .command), count > 0 {
            stdout.append(UnsafeRawBufferPointer(rebasing: chunk[..<count]))
            progressed = true
        }
        while let count = try check(jarvis_libssh2_channel_read_stderr(channel, base, chunk.count), "reading stderr", .command), count > 0 {
            stderr.append(UnsafeRawBufferPointer(rebasing: chunk[..<count]))
            progressed = true
        }
        return progressed
    }

    /// The signal that killed the command, without `SIG` (`libssh2_channel_get_exit_signal`;
    /// the string is freed with `libssh2_free`).
    private func readExitSignal(_ channel: OpaquePointer) throws(SSHError) -> String? {
        var name: UnsafeMutablePointer<CChar>?
        var length = 0
        _ = try check(libssh2_channel_get_exit_signal(channel, &name, &length, nil, nil, nil, nil), "reading the exit signal", .close)
        guard let name else { return nil }
        defer { libssh2_free(session, name) }
        guard length > 0 else { return nil }
        let bytes = UnsafeRawBufferPointer(start: name, count: length)
        return String(decoding: bytes, as: UTF8.self)
    }
}
