import Foundation
import JarvisCore

/// Runs commands on the machine jarvis runs on (`local: true` hosts): no SSH and no shell.
///
/// `argv` goes straight to `posix_spawnp` (the program is looked up in `PATH`), so no
/// argument is ever interpreted by a shell. Same result type, caps and timeout as
/// `SSHSession.run`: the child runs in its own process group; at the timeout the group gets
/// SIGTERM, and SIGKILL `killGrace` later. stdout and stderr come through two pipes read in
/// one `poll` loop; bytes past the cap are read and dropped. stdin is `/dev/null`.
public struct LocalExecutor: Sendable {
    /// Time between SIGTERM and SIGKILL on timeout (default 2 s).
    public var killGrace: Duration
    /// Environment of the child; nil inherits this process's.
    public var environment: [String: String]?

    /// Creates an executor.
    ///
    /// - Parameters:
    ///   - killGrace: Time between SIGTERM and SIGKILL on timeout.
    ///   - environment: Child environment; nil inherits this process's.
    public init(killGrace: Duration = .seconds(2), environment: [String: String]? = nil) {
        self.killGrace = killGrace
        self.environment = environment
    }

    /// Runs `argv` to completion or timeout.
    ///
    /// Wraps `pipe`, `posix_spawnp` (with `POSIX_SPAWN_SETPGROUP`, an empty signal mask and
    /// default dispositions), `poll`, `read`, `waitpid` and `kill`.
    ///
    /// - Parameters:
    ///   - argv: The program and its arguments.
    ///   - timeout: When to stop it (default 60 s).
    ///   - outputCap: Most bytes kept per stream (default 64 KiB).
    /// - Returns: The result; a non-zero exit status is a result, not an error.
    /// - Throws: `LocalExecutionError` when it cannot be started.
    public func run(_ argv: [String], timeout: Duration = .seconds(60), outputCap: Int = 64 * 1024) throws(LocalExecutionError)
        -> CommandResult
    {
        guard let program = argv.first else { throw LocalExecutionError(code: .invalidCommand, message: "empty argument list") }
        if let index = argv.firstIndex(where: { $0.utf8.contains(0) }) {
            throw LocalExecutionError(code: .invalidCommand, message: "argument \(index) contains a NUL character")
        }
        let environment = (self.environment ?? ProcessInfo.processInfo.environment).map { "\($0.key)=\($0.value)" }
        var stdoutPipe: [Int32] = [-1, -1]
        var stderrPipe: [Int32] = [-1, -1]
        guard LocalExecutor.makePipe(&stdoutPipe) else { throw systemFailure("pipe") }
        guard LocalExecutor.makePipe(&stderrPipe) else {
            let failure = systemFailure("pipe")
            close(stdoutPipe[0])
            close(stdoutPipe[1])
            throw failure
        }

        let clock = ContinuousClock()
        let start = clock.now
        var pid: pid_t = 0
        let spawnResult = spawn(program, argv, environment, stdout: stdoutPipe[1], stderr: stderrPipe[1], pid: &pid)
        close(stdoutPipe[1])
        close(stderrPipe[1])
        guard spawnResult == 0 else {
            close(stdoutPipe[0])
            close(stderrPipe[0])
            throw LocalExecutionError(
                code: .spawnFailed, message: "cannot start \(program): \(String(cString: strerror(spawnResult)))", errno: spawnResult)
        }
        _ = fcntl(stdoutPipe[0], F_SETFL, O_NONBLOCK)
        _ = fcntl(stderrPipe[0], F_SETFL, O_NONBLOCK)
        defer {
            close(stdoutPipe[0])
            close(stderrPipe[0])
        }

        var stdout = CappedBuffer(cap: outputCap)
        var stderr = CappedBuffer(cap: outputCap)
        var open = [true, true]
        let deadline = start.advanced(by: timeout)
        var terminatedAt: ContinuousClock.Instant?
        var killed = false
        var status: Int32 = 0
        var idleWait: Int32 = 1
        let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: 32 * 1024, alignment: 16)
        defer { chunk.deallocate() }

        func drain(_ index: Int) {
            let fd = index == 0 ? stdoutPipe[0] : stderrPipe[0]
            while open[index] {
                let count = read(fd, chunk.baseAddress, chunk.count)
                if count > 0 {
                    if index == 0 {
                        stdout.append(UnsafeRawBufferPointer(rebasing: chunk[..<count]))
                    } else {
                        stderr.append(UnsafeRawBufferPointer(rebasing: chunk[..<count]))
                    }
                } else if count == 0 || (errno != EINTR && errno != EAGAIN && errno != EWOULDBLOCK) {
                    open[index] = false
                } else if errno != EINTR {
                    return
                }
            }
        }

        while true {
            let reaped = waitpid(pid, &status, WNOHANG)
            if reaped == pid || (reaped < 0 && errno != EINTR) {
                drain(0)
                drain(1)
                break
            }
            let now = clock.now
            if terminatedAt == nil, now >= deadline {
                kill(-pid, SIGTERM)
                terminatedAt = now
            }
            if let terminatedAt, !killed, now >= terminatedAt.advanced(by: killGrace) {
                kill(-pid, SIGKILL)
                killed = true
            }
            let nextEvent = terminatedAt.map { $0.advanced(by: killGrace) } ?? deadline
            var descriptors: [pollfd] = []
            if open[0] { descriptors.append(pollfd(fd: stdoutPipe[0], events: Int16(POLLIN), revents: 0)) }
            if open[1] { descriptors.append(pollfd(fd: stderrPipe[0], events: Int16(POLLIN), revents: 0)) }
            // With a pipe open, poll wakes on data or end of file; with both closed, the child is
            // exiting and a short, growing wait catches its status quickly.
            let slice: Int32 = descriptors.isEmpty ? idleWait : 50
            if descriptors.isEmpty { idleWait = min(idleWait * 2, 20) }
            let wait = killed ? slice : min(slice, max(1, nextEvent.pollTimeout()))
            let ready = descriptors.withUnsafeMutableBufferPointer { poll($0.baseAddress, nfds_t($0.count), wait) }
            if ready > 0 {
                drain(0)
                drain(1)
            }
        }
        let timedOut = terminatedAt != nil
        if timedOut { kill(-pid, SIGKILL) }  // leftovers of the group
        let duration = start.duration(to: clock.now)
        let termination = status & 0x7F
        return CommandResult(
            stdout: stdout.bytes, stderr: stderr.bytes, stdoutTruncated: stdout.truncated, stderrTruncated: stderr.truncated,
            exitStatus: termination == 0 ? (status >> 8) & 0xFF : nil,
            exitSignal: termination != 0 && termination != 0x7F ? LocalExecutor.signalName(termination) : nil,
            timedOut: timedOut, duration: duration)
    }

    private func spawn(_ program: String, _ argv: [String], _ environment: [String], stdout: Int32, stderr: Int32, pid: inout pid_t) -> Int32 {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, stdout, 1)
        posix_spawn_file_actions_adddup2(&actions, stderr, 2)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        posix_spawnattr_setpgroup(&attributes, 0)
        var mask = sigset_t()
        sigemptyset(&mask)
        posix_spawnattr_setsigmask(&attributes, &mask)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGPIPE, SIGINT, SIGQUIT, SIGTERM, SIGHUP, SIGUSR1, SIGUSR2, SIGALRM, SIGCHLD] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)

        return withSpawnArgumentArray(argv) { argvPointer in
            withSpawnArgumentArray(environment) { environmentPointer in
                posix_spawnp(
                    &pid, program, &actions, &attributes, UnsafeMutablePointer(mutating: argvPointer),
                    UnsafeMutablePointer(mutating: environmentPointer))
            }
        }
    }

    /// `pipe` plus `FD_CLOEXEC` on both ends (Glibc's Swift overlay does not export `pipe2`),
    /// so that no other child spawned meanwhile inherits them beyond the moment between the two calls.
    private static func makePipe(_ fds: inout [Int32]) -> Bool {
        guard pipe(&fds) == 0 else { return false }
        _ = fcntl(fds[0], F_SETFD, FD_CLOEXEC)
        _ = fcntl(fds[1], F_SETFD, FD_CLOEXEC)
        return true
    }

    private func systemFailure(_ call: String) -> LocalExecutionError {
        let code = errno
        return LocalExecutionError(code: .systemCallFailed, message: "\(call): \(String(cString: strerror(code)))", errno: code)
    }

    /// The name of a signal without `SIG`, as SSH reports it (`TERM`, `KILL`); `SIG<n>` for others.
    static func signalName(_ signal: Int32) -> String {
        let names: [Int32: String] = [
            SIGHUP: "HUP", SIGINT: "INT", SIGQUIT: "QUIT", SIGILL: "ILL", SIGTRAP: "TRAP", SIGABRT: "ABRT", SIGBUS: "BUS",
            SIGFPE: "FPE", SIGKILL: "KILL", SIGUSR1: "USR1", SIGSEGV: "SEGV", SIGUSR2: "USR2", SIGPIPE: "PIPE", SIGALRM: "ALRM",
            SIGTERM: "TERM", SIGXCPU: "XCPU", SIGXFSZ: "XFSZ",
        ]
        return names[signal] ?? "SIG\(signal)"
    }
}
