import Foundation
import JarvisTestSupport
import Testing

/// With PostgreSQL configured, the `_total` counters in `jarvis_state.prom` are the fleet's:
/// two runners on one real PostgreSQL each report every runner's rows, and a runner that
/// cannot reach PostgreSQL reports its own, labelled so.
@Suite(.serialized, .timeLimit(.minutes(3))) struct FleetMetricsCLITests {
    let dir: TemporaryDirectory

    init() throws { dir = try TemporaryDirectory() }

    func env(_ runner: String) -> [String: String] {
        [
            "JARVIS_SPOOL_DIR": dir.file("\(runner)/spool"), "JARVIS_STATE_DIR": dir.file("\(runner)/state"),
            "JARVIS_CONFIG": dir.file("\(runner).yml"), "JARVIS_METRICS_DIR": dir.file("\(runner)/metrics"),
        ]
    }

    /// The value of the sample `name` (with its labels) in `text`, nil when absent.
    func sample(_ name: String, in text: String) -> Double? {
        text.split(separator: "\n").first { $0.hasPrefix(name + " ") }.flatMap { Double($0.split(separator: " ").last ?? "") }
    }

    /// Runs `jarvis status` on `runner` after removing its store metrics, and returns them.
    func freshState(_ runner: String) throws -> String {
        let file = dir.file("\(runner)/metrics/jarvis_state.prom")
        try? FileManager.default.removeItem(atPath: file)
        let status = try JarvisProcess.run(["status"], environment: env(runner))
        #expect([0, 75].contains(status.exitCode), "\(status.stderr)")
        let text = try String(contentsOfFile: file, encoding: .utf8)
        let check = try TestCommand.run("/bin/sh", ["-c", "promtool check metrics < '\(file)'"], check: false)
        #expect(check.status == 0, "\(check.stdout)\(check.stderr)\n\(text)")
        return text
    }

    @Test func eachRunnerReportsTheFleetTotalsFromPostgres() throws {
        // Given two runners on one PostgreSQL, runner a receiving three alerts and runner b two
        let postgres = try TestPostgres()
        for runner in ["a", "b"] {
            try """
            runner:
              id: \(runner)
            postgres:
              url: \(postgres.url)
              connect_timeout: 2
            """.write(toFile: dir.file("\(runner).yml"), atomically: true, encoding: .utf8)
        }
        let migrate = try JarvisProcess.run(["migrate"], environment: env("a"))
        try #require(migrate.exitCode == 0, "\(migrate.stderr)")
        for (runner, names) in [("a", ["A1", "A2", "A3"]), ("b", ["B1", "B2"])] {
            let body = TriageCLITests.webhook(
                names.map { (["alertname": $0, "instance": "\($0.lowercased()):9100"], "firing", "2026-12-06T00:00:00Z") })
            let enqueue = try JarvisProcess.run(["enqueue", "-"], environment: env(runner), stdin: body)
            try #require(enqueue.exitCode == 0, "\(enqueue.stderr)")
            let ingest = try JarvisProcess.run(["ingest"], environment: env(runner))
            try #require(ingest.exitCode == 0, "\(ingest.stderr)")
        }
        // When each refreshes its store metrics
        for runner in ["a", "b"] {
            let text = try freshState(runner)
            // Then both count all five alerts, read from PostgreSQL
            let alerts = text.split(separator: "\n").filter { $0.hasPrefix("jarvis_alerts_total{") }
            let total = alerts.compactMap { Double($0.split(separator: " ").last ?? "") }.reduce(0, +)
            #expect(total == 5, "runner \(runner): \(alerts)")
            #expect(sample("jarvis_metrics_source{source=\"postgres\"}", in: text) == 1, "\(text)")
        }
        // And with PostgreSQL gone, a runner reports its own three, saying where they came from
        try postgres.stop()
        let text = try freshState("a")
        let own = text.split(separator: "\n").filter { $0.hasPrefix("jarvis_alerts_total{") }
        #expect(own.compactMap { Double($0.split(separator: " ").last ?? "") }.reduce(0, +) == 3, "\(own)")
        #expect(sample("jarvis_metrics_source{source=\"sqlite\"}", in: text) == 1, "\(text)")
    }
}
