import Foundation
import JarvisCore

/// A real Prometheus (Debian's `prometheus`) on 127.0.0.1 for tests of the verification
/// checks: no scrape targets, so queries are answered from constant expressions.
public final class TestPrometheus: @unchecked Sendable {
    public let port: Int
    public let directory: TemporaryDirectory
    private let process: Process

    public static let binary = "/usr/bin/prometheus"
    public static var isAvailable: Bool { FileManager.default.isExecutableFile(atPath: binary) }

    /// Starts Prometheus and waits until `/-/ready` answers.
    /// - Throws: `TestServerError` when it is not installed or not ready within 20 s.
    public init() throws {
        guard Self.isAvailable else { throw TestServerError("\(Self.binary) is not installed (apt-get install prometheus)") }
        directory = try TemporaryDirectory("jarvis-prometheus")
        port = try LoopbackPorts.freePort()
        try "global:\n  scrape_interval: 1m\n".write(toFile: directory.file("prometheus.yml"), atomically: true, encoding: .utf8)
        process = Process()
        process.executableURL = URL(fileURLWithPath: Self.binary)
        process.arguments = [
            "--config.file=\(directory.file("prometheus.yml"))", "--storage.tsdb.path=\(directory.file("data"))",
            "--web.listen-address=127.0.0.1:\(port)", "--log.level=warn",
        ]
        FileManager.default.createFile(atPath: directory.file("log"), contents: nil)
        process.standardOutput = FileHandle(forWritingAtPath: "/dev/null")
        process.standardError = FileHandle(forWritingAtPath: directory.file("log"))
        try process.run()
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline {
            if let ready = try? LoopbackHTTPTransport().send(HTTPRequest(method: "GET", url: "\(url)/-/ready", timeout: 1)), ready.status == 200 {
                return
            }
            usleep(200_000)
        }
        process.terminate()
        throw TestServerError("Prometheus did not become ready on 127.0.0.1:\(port)")
    }

    public var url: String { "http://127.0.0.1:\(port)" }

    public func stop() {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
    }

    deinit { stop() }
}
