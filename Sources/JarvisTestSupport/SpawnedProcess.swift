import Foundation

/// A long-running helper (sshd, ssh-agent) started with `posix_spawn` and reaped with `waitpid`.
///
/// Foundation's `Process` is not used for these: on Linux it watches each child through an
/// inherited pipe, and both sshd and ssh-agent close every inherited descriptor at start-up.
/// `Process` then takes the server for exited and blocks its one monitor thread in `waitpid`
/// until the server really exits, which hangs every other `Process` of the test run (seen
/// here with swift-corelibs-foundation 6.3). Short helpers (ssh-keygen…) still use `Process`.
public final class SpawnedProcess: @unchecked Sendable {
    /// The child's pid.
    public let pid: pid_t
    private let lock = NSLock()
    private var exitStatus: Int32?

    /// Starts `executable` with `arguments`, stdin/stdout on /dev/null and stderr on
    /// /dev/null or appended to `stderrFile`.
    ///
    /// - Parameters:
    ///   - executable: Absolute path.
    ///   - arguments: Arguments (without argv[0]).
    ///   - environment: The child's environment [this process's].
    /// - Throws: `POSIXError` when posix_spawn fails.
    public init(
        _ executable: String, _ arguments: [String], environment: [String: String] = ProcessInfo.processInfo.environment, stderrFile: String? = nil
    ) throws {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        for fd: Int32 in 0...2 {
            let path = fd == 2 ? stderrFile ?? "/dev/null" : "/dev/null"
            posix_spawn_file_actions_addopen(&actions, fd, path, fd == 0 ? O_RDONLY : O_WRONLY | O_CREAT | O_APPEND, 0o644)
        }
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let environment = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for pointer in argv { free(pointer) }
            for pointer in environment { free(pointer) }
        }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, executable, &actions, nil, argv, environment)
        guard rc == 0 else { throw POSIXError(POSIXErrorCode(rawValue: rc) ?? .EIO) }
        self.pid = pid
    }

    /// True until the child has exited and been reaped.
    public var isRunning: Bool {
        lock.lock()
        defer { lock.unlock() }
        return reap(options: WNOHANG) == nil
    }

    /// Sends SIGTERM, waits up to `grace` for the exit, then SIGKILL, and reaps the child.
    ///
    /// - Parameter grace: Time to wait after SIGTERM.
    public func terminate(grace: TimeInterval = 3) {
        lock.lock()
        defer { lock.unlock() }
        guard reap(options: WNOHANG) == nil else { return }
        kill(pid, SIGTERM)
        let deadline = Date().addingTimeInterval(grace)
        while reap(options: WNOHANG) == nil {
            if Date() > deadline {
                kill(pid, SIGKILL)
                _ = reap(options: 0)
                return
            }
            usleep(2_000)
        }
    }

    /// Reaps the child if it has exited; returns its status (lock held by the caller).
    private func reap(options: Int32) -> Int32? {
        if let exitStatus { return exitStatus }
        var status: Int32 = 0
        let rc = waitpid(pid, &status, options)
        if rc == pid || (rc < 0 && errno == ECHILD) {
            exitStatus = status
            return status
        }
        return nil
    }

    deinit { terminate() }
}
