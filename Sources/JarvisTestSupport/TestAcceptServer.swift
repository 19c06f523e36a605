import Foundation

/// `jarvis accept` on 127.0.0.1 under `systemd-socket-activate` (Debian's systemd package),
/// the way jarvis-accept.socket runs it: a listening socket as fd 3 (or, `perConnection`,
/// one process per connection), the token as a credential file, its own spool and state.
public final class TestAcceptServer: @unchecked Sendable {
    public static let activator = "/usr/bin/systemd-socket-activate"
    public static var isAvailable: Bool { FileManager.default.isExecutableFile(atPath: activator) }

    public let port: Int
    public let directory: TemporaryDirectory
    public let token = "test-accept-token-0123456789"
    private let arguments: [String]
    private let perConnection: Bool
    private var process: SpawnedProcess?

    public var spool: String { directory.file("spool") }
    public var state: String { directory.file("state") }
    public var logFile: String { directory.file("accept.log") }
    public var log: String { (try? String(contentsOfFile: logFile, encoding: .utf8)) ?? "" }
    /// The environment of other `jarvis` runs on the same spool and state (ingest…).
    public var environment: [String: String] { ["JARVIS_SPOOL_DIR": spool, "JARVIS_STATE_DIR": state] }

    /// Starts the activator on a free port; `arguments` are added after `jarvis accept`.
    /// - Throws: `TestServerError` when the activator is missing or does not listen in 10 s.
    public init(arguments: [String] = [], perConnection: Bool = false, token: Bool = true) throws {
        guard Self.isAvailable else { throw TestServerError("\(Self.activator) is not installed (apt-get install systemd)") }
        directory = try TemporaryDirectory("jarvis-accept")
        port = try LoopbackPorts.freePort()
        self.arguments = arguments
        self.perConnection = perConnection
        try FileManager.default.createDirectory(atPath: directory.file("credentials"), withIntermediateDirectories: true)
        if token { try (self.token + "\n").write(toFile: directory.file("credentials/accept_token"), atomically: true, encoding: .utf8) }
        try start()
    }

    /// (Re)starts the activator on the same port.
    public func start() throws {
        var command = ["-l", "127.0.0.1:\(port)"] + (perConnection ? ["--accept"] : [])
        for (name, value) in environment.sorted(by: { $0.key < $1.key }) { command += ["-E", "\(name)=\(value)"] }
        command += ["-E", "CREDENTIALS_DIRECTORY=\(directory.file("credentials"))", JarvisProcess.binary, "accept"] + arguments
        process = try SpawnedProcess(Self.activator, command, environment: JarvisProcess.environment([:]), stderrFile: logFile)
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline {
            if LoopbackPorts.isListening(port) { return }
            usleep(20_000)
        }
        throw TestServerError("systemd-socket-activate did not listen on 127.0.0.1:\(port): \(log)")
    }

    /// The pid of the activator (with a listening socket: `jarvis accept` itself, exec'ed).
    public var pid: pid_t? { process?.pid }

    /// Whether it still runs.
    public var isRunning: Bool { process?.isRunning ?? false }

    /// SIGKILL, no grace.
    public func kill() {
        if let pid = process?.pid { _ = Foundation.kill(pid, SIGKILL) }
        process?.terminate(grace: 0)
        process = nil
    }

    /// SIGTERM, then SIGKILL after `grace`.
    public func stop(grace: TimeInterval = 5) {
        process?.terminate(grace: grace)
        process = nil
    }

    /// The file holding the token (the credential), for clients that read it from a file.
    public var tokenFile: String { directory.file("credentials/accept_token") }

    /// Spool files in `folder` (incoming, rejected, tmp…), sorted.
    /// - Throws: when the folder cannot be listed (listed as empty, "nothing was written"
    ///   would hold for a spool that was never made).
    public func files(_ folder: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: spool + "/" + folder).sorted()
    }

    deinit { stop(grace: 1) }
}
