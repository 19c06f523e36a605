import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A throwaway PostgreSQL cluster on 127.0.0.1 for one test (or suite).
///
/// `init` creates a temp dir owned by `postgres`, runs `initdb` as that user (initdb and
/// postgres refuse root), starts the server on a free high port with its unix socket in the
/// temp dir, `fsync=off`, and trust authentication, and creates the database `jarvis`.
/// `stop()` and `start()` simulate an outage (same data dir and port); `destroy()`, also
/// run on deinit, stops it and removes everything. Needs root and Debian's `postgresql`
/// package (`/usr/lib/postgresql/*/bin`); `scripts/pg-test-cluster` does the same from bash.
public final class TestPostgres: @unchecked Sendable {
    /// Why the cluster could not be made or driven.
    public struct Failure: Error, CustomStringConvertible {
        public var message: String
        public init(_ message: String) { self.message = message }
        public var description: String { "TestPostgres: \(message)" }
    }

    /// The temp dir: `data/` (the cluster), `log` (the server log), the unix socket.
    public let directory: String
    /// The TCP port on 127.0.0.1.
    public let port: Int
    /// Where `initdb`, `pg_ctl`, `psql`… live, e.g. `/usr/lib/postgresql/15/bin`.
    public let binDirectory: String

    private let lock = NSLock()
    private var running = false
    private var destroyed = false

    /// `postgresql://postgres@127.0.0.1:PORT/jarvis?connect_timeout=3`.
    public var url: String { url(database: "jarvis") }

    /// The URL of another database on the same cluster.
    public func url(database: String) -> String {
        "postgresql://postgres@127.0.0.1:\(port)/\(database)?connect_timeout=3"
    }

    /// True between a successful `start()` (or `init`) and `stop()`.
    public var isRunning: Bool { lock.withLock { running } }

    /// Creates, starts and prepares a new cluster (about one second).
    /// - Throws: `Failure` when not running as root, when PostgreSQL is not installed, or
    ///   when initdb, the start or createdb fail (with the end of their output).
    public init() throws {
        guard geteuid() == 0 else {
            throw Failure("must run as root: PostgreSQL refuses to run as root, so the test cluster runs as the postgres user via runuser")
        }
        binDirectory = try TestPostgres.findBinDirectory()
        guard let account = getpwnam("postgres") else {
            throw Failure("there is no 'postgres' user (apt-get install postgresql)")
        }
        let (uid, gid) = (account.pointee.pw_uid, account.pointee.pw_gid)
        directory = try TestPostgres.makeTemporaryDirectory()
        guard chown(directory, uid, gid) == 0, chmod(directory, 0o700) == 0 else {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(atPath: directory)
            throw Failure("cannot hand \(directory) to the postgres user: \(reason)")
        }
        do {
            port = try LoopbackPorts.freePort()
        } catch {
            try? FileManager.default.removeItem(atPath: directory)
            throw error
        }
        do {
            try runAsPostgres(
                "initdb",
                [
                    "-D", "\(directory)/data", "-U", "postgres", "-E", "UTF8", "--locale=C.UTF-8", "--auth-local=trust",
                    "--auth-host=trust", "--no-sync",
                ])
            try start()
            try run(tool("createdb"), ["-h", "127.0.0.1", "-p", String(port), "-U", "postgres", "jarvis"])
        } catch {
            destroy()
            throw error
        }
    }

    deinit {
        destroy()
    }

    /// Starts the server (`pg_ctl -w start`) on the same data dir and port.
    /// - Throws: `Failure` with the end of the server log when it does not come up.
    public func start() throws {
        try runAsPostgres(
            "pg_ctl",
            [
                "-w", "-t", "30", "-D", "\(directory)/data", "-l", "\(directory)/log", "-o",
                "-p \(port) -k \(directory) -c listen_addresses=127.0.0.1 -c fsync=off", "start",
            ])
        lock.withLock { running = true }
    }

    /// Stops the server (`pg_ctl -m fast stop`): clients are disconnected, the data stays.
    /// - Throws: `Failure` when pg_ctl fails.
    public func stop() throws {
        try runAsPostgres("pg_ctl", ["-w", "-D", "\(directory)/data", "-m", "fast", "stop"])
        lock.withLock { running = false }
    }

    /// Stops the server if it runs and removes the temp dir. Safe to call more than once.
    public func destroy() {
        let (wasRunning, alreadyDestroyed) = lock.withLock { () -> (Bool, Bool) in
            defer { destroyed = true }
            return (running, destroyed)
        }
        guard !alreadyDestroyed else { return }
        if wasRunning || FileManager.default.fileExists(atPath: "\(directory)/data/postmaster.pid") {
            try? runAsPostgres("pg_ctl", ["-w", "-D", "\(directory)/data", "-m", "immediate", "stop"])
        }
        lock.withLock { running = false }
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// Runs `psql` (as root, over TCP) on the `jarvis` database with `-X -A -t -v
    /// ON_ERROR_STOP=1`, e.g. `psql(["-c", "SELECT 1"])`.
    /// - Returns: What psql printed on stdout.
    /// - Throws: `Failure` with psql's stderr when it exits non-zero.
    @discardableResult
    public func psql(_ arguments: [String], database: String = "jarvis") throws -> String {
        try run(tool("psql"), [url(database: database), "-X", "-A", "-t", "-q", "-v", "ON_ERROR_STOP=1"] + arguments)
    }

    /// The end of the server log, for failure messages.
    public func logTail(lines: Int = 20) -> String {
        guard let text = try? String(contentsOfFile: "\(directory)/log", encoding: .utf8) else { return "" }
        return text.split(separator: "\n", omittingEmptySubsequences: false).suffix(lines).joined(separator: "\n")
    }

    // MARK: - Helpers

    private func tool(_ name: String) -> String { "\(binDirectory)/\(name)" }

    private func runAsPostgres(_ name: String, _ arguments: [String]) throws {
        let runuser = ["/usr/sbin/runuser", "/sbin/runuser"].first { FileManager.default.isExecutableFile(atPath: $0) }
        guard let runuser else { throw Failure("runuser not found (util-linux)") }
        do {
            try run(runuser, ["-u", "postgres", "--", tool(name)] + arguments)
        } catch let failure as Failure {
            let log = logTail()
            throw Failure(failure.message + (log.isEmpty ? "" : "\nserver log:\n\(log)"))
        }
    }

    /// Runs a program with the caller's environment minus the `PG*` variables (which could
    /// point the tools at another server) and with English messages; waits for it.
    ///
    /// This uses `posix_spawn` and `waitpid` rather than Foundation's `Process`: on Linux,
    /// `Process.waitUntilExit` waits for a socket that the child inherits to close, and the
    /// server `pg_ctl start` leaves behind inherits it too, so the wait never ended. The
    /// child gets /dev/null as stdin, files as stdout/stderr, and no other descriptor.
    @discardableResult
    private func run(_ executable: String, _ arguments: [String]) throws -> String {
        var environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("PG") }
        environment["LC_MESSAGES"] = "C"
        let outPath = "\(NSTemporaryDirectory())/jarvis-testpg-\(UUID().uuidString).out"
        let errPath = outPath + ".err"
        defer {
            try? FileManager.default.removeItem(atPath: outPath)
            try? FileManager.default.removeItem(atPath: errPath)
        }
        let status = try TestPostgres.spawnAndWait(
            executable, arguments: arguments, environment: environment.map { "\($0.key)=\($0.value)" }, stdout: outPath,
            stderr: errPath)
        let stdout = (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? ""
        guard status == 0 else {
            let stderr = (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? ""
            let program = arguments.count > 3 && executable.hasSuffix("runuser") ? arguments[3] : executable
            let name = URL(fileURLWithPath: program).lastPathComponent
            throw Failure("\(name) failed (wait status \(status)): \(stderr)\(stdout)")
        }
        return stdout
    }

    /// `posix_spawn` + `waitpid`; returns the raw wait status (0 = exited with 0).
    private static func spawnAndWait(
        _ executable: String, arguments: [String], environment: [String], stdout: String, stderr: String
    ) throws -> Int32 {
        var actions = posix_spawn_file_actions_t()
        guard posix_spawn_file_actions_init(&actions) == 0 else { throw Failure("posix_spawn_file_actions_init failed") }
        defer { posix_spawn_file_actions_destroy(&actions) }
        var failed = posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        failed |= posix_spawn_file_actions_addopen(&actions, 1, stdout, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        failed |= posix_spawn_file_actions_addopen(&actions, 2, stderr, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        // glibc >= 2.34 closes every other descriptor in the child; Swift's Glibc module does
        // not declare the function, so look it up.
        typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
        if let symbol = dlsym(nil, "posix_spawn_file_actions_addclosefrom_np") {
            failed |= unsafeBitCast(symbol, to: CloseFrom.self)(&actions, 3)
        }
        guard failed == 0 else { throw Failure("posix_spawn_file_actions_add* failed") }

        let argv = ([executable] + arguments).map { strdup($0) }
        let envp = environment.map { strdup($0) }
        defer {
            for pointer in argv { free(pointer) }
            for pointer in envp { free(pointer) }
        }
        var pid: pid_t = 0
        let spawned = (argv + [nil]).withUnsafeBufferPointer { argvBuffer -> Int32 in
            (envp + [nil]).withUnsafeBufferPointer { envpBuffer -> Int32 in
                guard let argvBase = argvBuffer.baseAddress, let envpBase = envpBuffer.baseAddress else { return EINVAL }
                return posix_spawn(&pid, executable, &actions, nil, argvBase, envpBase)
            }
        }
        guard spawned == 0 else { throw Failure("cannot start \(executable): \(String(cString: strerror(spawned)))") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            guard errno == EINTR else { throw Failure("waitpid(\(executable)) failed: \(String(cString: strerror(errno)))") }
        }
        return status
    }

    /// The newest `/usr/lib/postgresql/*/bin` that has initdb and pg_ctl.
    static func findBinDirectory() throws -> String {
        let root = "/usr/lib/postgresql"
        let versions = (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []
        let candidates = versions.compactMap { version -> (Int, String)? in
            guard let number = Int(version.split(separator: ".").first ?? "") else { return nil }
            let bin = "\(root)/\(version)/bin"
            let complete = ["initdb", "pg_ctl", "postgres", "createdb", "psql"].allSatisfy {
                FileManager.default.isExecutableFile(atPath: "\(bin)/\($0)")
            }
            return complete ? (number, bin) : nil
        }
        guard let newest = candidates.max(by: { $0.0 < $1.0 }) else {
            throw Failure("PostgreSQL server binaries not found under \(root)/*/bin (apt-get install postgresql)")
        }
        return newest.1
    }

    /// A new directory under the temp dir, short enough for a unix socket path.
    private static func makeTemporaryDirectory() throws -> String {
        var base = NSTemporaryDirectory()
        if base.hasSuffix("/") { base.removeLast() }
        // sun_path holds 107 bytes; the socket is DIR/.s.PGSQL.PORT.
        if base.utf8.count > 60 { base = "/tmp" }
        var template = Array("\(base)/jarvis-pg-XXXXXX".utf8CString)
        let made = template.withUnsafeMutableBufferPointer { buffer -> Bool in
            guard let address = buffer.baseAddress else { return false }
            return mkdtemp(address) != nil
        }
        guard made else { throw Failure("mkdtemp in \(base) failed: \(String(cString: strerror(errno)))") }
        return String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
