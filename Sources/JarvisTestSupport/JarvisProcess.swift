import Foundation

/// Runs the built `jarvis` binary the way systemd or a person would, for CLI tests.
public struct JarvisProcess {
    /// What one run printed and how it ended.
    public struct Result: Sendable {
        public var exitCode: Int32
        public var stdout: String
        public var stderr: String
        /// True when the process was killed by a signal rather than exiting.
        public var signaled: Bool
    }

    /// The `jarvis` executable next to the test bundle (`swift build` puts both in one folder).
    public static var binary: String {
        let candidates = [
            Bundle.main.executableURL?.deletingLastPathComponent(),
            URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL.deletingLastPathComponent(),
            Bundle.main.bundleURL.deletingLastPathComponent(),
            Fixtures.repositoryRoot.appendingPathComponent(".build/debug"),
        ]
        for case let dir? in candidates {
            for path in [dir.appendingPathComponent("jarvis").path, dir.deletingLastPathComponent().appendingPathComponent("jarvis").path]
            where FileManager.default.isExecutableFile(atPath: path) {
                return path
            }
        }
        return Fixtures.repositoryRoot.appendingPathComponent(".build/debug/jarvis").path
    }

    /// The environment for a run: this process's, minus anything that would point jarvis at
    /// the developer's own configuration, plus `extra`.
    public static func environment(_ extra: [String: String]) -> [String: String] {
        var env = ProcessInfo.processInfo.environment
        for key in [
            "JARVIS_CONFIG", "JARVIS_SPOOL_DIR", "JARVIS_STATE_DIR", "JARVIS_METRICS_DIR", "DATABASE_URL", "PGHOST", "PGPORT", "PGUSER", "PGDATABASE",
            "PGPASSWORD", "CREDENTIALS_DIRECTORY", "JOURNAL_STREAM",
        ] {
            env[key] = nil
        }
        env.merge(extra) { $1 }
        return env
    }

    /// Starts `jarvis arguments…` without waiting.
    public static func start(_ arguments: [String], environment extra: [String: String] = [:], stdin: Data? = nil) throws -> Running {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        process.environment = environment(extra)
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        let input = Pipe()
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(stdin) }
        try? input.fileHandleForWriting.close()
        return Running(process: process, out: out, err: err)
    }

    /// Runs `jarvis arguments…` to completion.
    public static func run(_ arguments: [String], environment extra: [String: String] = [:], stdin: Data? = nil) throws -> Result {
        try start(arguments, environment: extra, stdin: stdin).wait()
    }

    /// `jarvis enqueue -` of every sample notification in the repository's `spool/incoming`
    /// except the truncated one (`30-…`), in name order.
    /// - Returns: The failed runs (empty when every body was accepted).
    public static func enqueueSamples(environment extra: [String: String]) throws -> [Result] {
        let spool = Fixtures.repositoryRoot.appendingPathComponent("spool/incoming").path
        var failures: [Result] = []
        for name in try FileManager.default.contentsOfDirectory(atPath: spool).sorted() where !name.hasPrefix("30-") {
            let body = try Data(contentsOf: URL(fileURLWithPath: spool + "/" + name))
            let result = try run(["enqueue", "-"], environment: extra, stdin: body)
            if result.exitCode != 0 { failures.append(result) }
        }
        return failures
    }

    /// A started jarvis process.
    public final class Running: @unchecked Sendable {
        public let process: Process
        private let out: Pipe
        private let err: Pipe
        private var stdoutData = Data()
        private var stderrData = Data()
        private let group = DispatchGroup()

        init(process: Process, out: Pipe, err: Pipe) {
            self.process = process
            self.out = out
            self.err = err
            // Read both pipes concurrently so a chatty process never blocks on a full pipe.
            group.enter()
            DispatchQueue.global().async {
                self.stdoutData = out.fileHandleForReading.readDataToEndOfFile()
                self.group.leave()
            }
            group.enter()
            DispatchQueue.global().async {
                self.stderrData = err.fileHandleForReading.readDataToEndOfFile()
                self.group.leave()
            }
        }

        public var pid: Int32 { process.processIdentifier }

        /// True until the process has ended.
        public var isRunning: Bool { process.isRunning }

        /// Sends `signal` (e.g. SIGKILL) to the process.
        public func kill(_ signal: Int32) { _ = Foundation.kill(process.processIdentifier, signal) }

        /// Waits for the process to end and collects its output.
        public func wait() -> Result {
            process.waitUntilExit()
            group.wait()
            return Result(
                exitCode: process.terminationStatus, stdout: String(decoding: stdoutData, as: UTF8.self),
                stderr: String(decoding: stderrData, as: UTF8.self), signaled: process.terminationReason == .uncaughtSignal)
        }
    }
}

/// Runs `psql` against a test database to check what reached PostgreSQL, independently of
/// jarvis' own PostgreSQL adapter.
public enum PSQL {
    /// The first column of the first row of `sql`, as text.
    public static func scalar(_ url: String, _ sql: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/psql")
        process.arguments = [url, "-X", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-c", sql]
        process.environment = JarvisProcess.environment([:])
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        let errors = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw PSQLError(message: String(decoding: errors, as: UTF8.self))
        }
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    public static func int(_ url: String, _ sql: String) throws -> Int {
        let text = try scalar(url, sql)
        guard let value = Int(text) else { throw PSQLError(message: "not a number: \(text)") }
        return value
    }

    public struct PSQLError: Error, CustomStringConvertible {
        public var message: String
        public var description: String { "psql: \(message)" }
    }
}
