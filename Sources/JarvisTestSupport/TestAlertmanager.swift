import Foundation

/// A real Alertmanager (Debian's prometheus-alertmanager) on 127.0.0.1 for tests, posting its
/// webhook notifications to `webhookURL`. Clustering is off (`--cluster.listen-address=`), so
/// it never looks for a private address, unless a `Cluster` on loopback ports is given.
public final class TestAlertmanager: @unchecked Sendable {
    /// HA gossip between replicas, on loopback only: this replica's gossip port and its peers'.
    public struct Cluster: Sendable {
        public var port: Int
        public var peers: [Int]
        public init(port: Int, peers: [Int]) {
            self.port = port
            self.peers = peers
        }
    }

    public let port: UInt16
    public let directory: TemporaryDirectory
    private let process: Process

    public static let binary = "/usr/bin/prometheus-alertmanager"
    public static var isAvailable: Bool { FileManager.default.isExecutableFile(atPath: binary) }

    /// Starts Alertmanager with a one-second group wait and interval; with `bearerTokenFile`,
    /// its webhook sends `Authorization: Bearer` and the file's content.
    /// - Throws: `TestServerError` when it is not installed or not ready within 10 s.
    /// - Parameters:
    ///   - webhookURL: Where notifications go.
    ///   - receiver: The receiver's name (replicas of one cluster that should each notify
    ///     their own runner need different names: the shared notification log dedups by name).
    ///   - cluster: HA gossip on loopback ports; nil: no clustering.
    ///   - bearerTokenFile: Sends `Authorization: Bearer` with the file's content.
    public init(webhookURL: String, receiver: String = "jarvis", cluster: Cluster? = nil, bearerTokenFile: String? = nil) throws {
        guard Self.isAvailable else { throw TestServerError("\(Self.binary) is not installed (apt-get install prometheus-alertmanager)") }
        directory = try TemporaryDirectory("jarvis-alertmanager")
        port = UInt16(try LoopbackPorts.freePort())
        let config = """
            route:
              receiver: \(receiver)
              group_by: ['alertname']
              group_wait: 1s
              group_interval: 1s
              repeat_interval: 1h
            receivers:
              - name: \(receiver)
                webhook_configs:
                  - url: '\(webhookURL)'
                    send_resolved: true
            """
            + (bearerTokenFile.map {
                "\n        http_config:\n          authorization:\n            type: Bearer\n            credentials_file: '\($0)'"
            } ?? "")
        try config.write(toFile: directory.file("alertmanager.yml"), atomically: true, encoding: .utf8)
        process = Process()
        process.executableURL = URL(fileURLWithPath: Self.binary)
        process.arguments = [
            "--config.file=\(directory.file("alertmanager.yml"))", "--storage.path=\(directory.file("data"))",
            "--web.listen-address=127.0.0.1:\(port)", "--log.level=warn",
        ]
        if let cluster {
            // Never an empty or wildcard address with clustering on: it would look for a private IP.
            process.arguments! +=
                [
                    "--cluster.listen-address=127.0.0.1:\(cluster.port)", "--cluster.advertise-address=127.0.0.1:\(cluster.port)",
                    "--cluster.gossip-interval=100ms", "--cluster.pushpull-interval=1s",
                ] + cluster.peers.map { "--cluster.peer=127.0.0.1:\($0)" }
        } else {
            process.arguments!.append("--cluster.listen-address=")
        }
        let log = FileHandle(forWritingAtPath: "/dev/null")
        process.standardOutput = log
        process.standardError =
            FileManager.default.createFile(atPath: directory.file("log"), contents: nil)
            ? FileHandle(forWritingAtPath: directory.file("log")) : log
        try process.run()
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline {
            if (try? run("/usr/bin/amtool", ["--alertmanager.url=\(url)", "config", "show"])) != nil { return }
            usleep(100_000)
        }
        process.terminate()
        throw TestServerError("Alertmanager did not become ready on 127.0.0.1:\(port)")
    }

    public var url: String { "http://127.0.0.1:\(port)" }

    /// The cluster members this replica knows (`amtool cluster show`), itself included.
    public func clusterPeers() throws -> Int {
        try run("/usr/bin/amtool", ["--alertmanager.url=\(url)", "cluster", "show", "-o", "json"])
            .components(separatedBy: "\"address\"").count - 1
    }

    /// Posts one alert through amtool; `ends` in the past makes it resolved.
    public func addAlert(labels: [String: String], annotations: [String: String] = [:], starts: String? = nil, ends: String? = nil) throws {
        var arguments = ["--alertmanager.url=\(url)", "alert", "add"]
        arguments += labels.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        arguments += annotations.sorted { $0.key < $1.key }.map { "--annotation=\($0.key)=\($0.value)" }
        if let starts { arguments.append("--start=\(starts)") }
        if let ends { arguments.append("--end=\(ends)") }
        _ = try run("/usr/bin/amtool", arguments)
    }

    @discardableResult
    private func run(_ tool: String, _ arguments: [String]) throws -> String {
        let child = Process()
        child.executableURL = URL(fileURLWithPath: tool)
        child.arguments = arguments
        let out = Pipe()
        child.standardOutput = out
        child.standardError = out
        try child.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        child.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self)
        guard child.terminationStatus == 0 else { throw TestServerError("\(tool) \(arguments.joined(separator: " ")): \(text)") }
        return text
    }

    public func stop() {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
    }

    deinit { stop() }
}
