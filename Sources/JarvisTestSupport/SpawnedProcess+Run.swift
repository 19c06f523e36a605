import Foundation

extension SpawnedProcess {
    /// Runs a short command to completion with `posix_spawn` and `waitpid`, stdout and stderr
    /// going to files, stdin from /dev/null.
    ///
    /// For commands that start daemons (`pg_ctl start` under `runuser`): their children close
    /// inherited descriptors, and Foundation's `Process` then never reaps the command (seen
    /// here: `runuser` left a zombie and the test run hung for 18 minutes).
    /// - Returns: the exit status (128 + signal number when killed by a signal).
    /// - Throws: `POSIXError` when posix_spawn fails.
    public static func runToCompletion(
        _ executable: String, _ arguments: [String], environment: [String: String], stdoutPath: String, stderrPath: String,
        directory: String = "/"
    ) throws -> Int32 {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, stdoutPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, stderrPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let env = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            env.forEach { free($0) }
        }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, executable, &actions, nil, argv, env)
        guard rc == 0 else { throw POSIXError(POSIXErrorCode(rawValue: rc) ?? .EIO) }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            if errno != EINTR { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        }
        let signal = status & 0x7f
        return signal == 0 ? (status >> 8) & 0xff : 128 + signal
    }
}
