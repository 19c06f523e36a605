import Foundation
import JarvisTestSupport
import Testing

/// With PostgreSQL configured, the `_total` counters in `jarvis_state.prom` are the fleet's:
/// two runners on one real PostgreSQL each report every runner's rows, and a runner that
/// cannot reach PostgreSQL reports its own, labelled so. A maintenance window opened on one
/// runner lists, in every runner's weekly report, the alerts it held back on each.
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

    /// Configures runners a and b on one PostgreSQL, migrated.
    func twoRunners(_ postgres: TestPostgres) throws {
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
    }

    /// Delivers firing alerts `names` (instance `<name>:9100`) to `runner`, and ingests them.
    func ingest(_ names: [String], on runner: String) throws -> String {
        let body = TriageCLITests.webhook(names.map { (["alertname": $0, "instance": "\($0.lowercased()):9100"], "firing", "2026-12-06T00:00:00Z") })
        let enqueue = try JarvisProcess.run(["enqueue", "-"], environment: env(runner), stdin: body)
        try #require(enqueue.exitCode == 0, "\(enqueue.stderr)")
        let ingest = try JarvisProcess.run(["ingest"], environment: env(runner))
        try #require(ingest.exitCode == 0, "\(ingest.stderr)")
        return ingest.stdout
    }

    @Test func eachRunnerReportsTheFleetTotalsFromPostgres() throws {
        // Given two runners on one PostgreSQL, runner a receiving three alerts and runner b two
        let postgres = try TestPostgres()
        try twoRunners(postgres)
        _ = try ingest(["A1", "A2", "A3"], on: "a")
        _ = try ingest(["B1", "B2"], on: "b")
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

    @Test func aWindowOpenedOnOneRunnerListsWhatItHeldBackOnAnother() throws {
        // Given two runners on one PostgreSQL, and a window for every host opened on a
        let postgres = try TestPostgres()
        try twoRunners(postgres)
        let window = try JarvisProcess.run(["maintenance", "start", "--all", "--for", "1h", "--reason", "switch swap"], environment: env("a"))
        try #require(window.exitCode == 0, "\(window.stderr)")
        // When it holds back two alerts on b and one on a
        #expect(try ingest(["HeldB1", "HeldB2"], on: "b").contains("suppressed:maintenance 2"))
        #expect(try ingest(["HeldA"], on: "a").contains("suppressed:maintenance 1"))
        // Then both runners' weekly reports list all three under a's window, counted there
        for runner in ["a", "b"] {
            let report = try JarvisProcess.run(["weekly-report", "--no-post", "--json"], environment: env(runner))
            try #require(report.exitCode == 0, "\(runner): \(report.stderr)")
            let json = try #require(try JSONSerialization.jsonObject(with: Data(report.stdout.utf8)) as? [String: Any])
            #expect((json["source"] as? [String: Any])?["kind"] as? String == "postgres", "\(runner): \(report.stdout)")
            let windows = try #require(json["maintenance"] as? [[String: Any]], "\(runner): \(report.stdout)")
            try #require(windows.count == 1, "\(runner): \(windows)")
            #expect(windows[0]["reason"] as? String == "switch swap")
            #expect(windows[0]["suppressed"] as? Int == 3, "\(runner): \(windows[0])")
            let held = (windows[0]["suppressed_alerts"] as? [[String: Any]] ?? []).compactMap { $0["alert_key"] as? String }
            #expect(held == ["HeldA/helda:9100", "HeldB1/heldb1:9100", "HeldB2/heldb2:9100"], "\(runner): \(held)")
        }
        #expect(
            try postgres.psql(["-At", "-c", "SELECT count(*) FROM alert_events WHERE maintenance_window_key = 'a/maintenance/1'"]).trimmingCharacters(
                in: .whitespacesAndNewlines) == "3")
        // And when b ends its copy of the window by hand, the count stays a's plus what b held
        // back (b's copy counted 2 of its own; sent as the window's count it would say 2)
        let end = try JarvisProcess.run(["maintenance", "end", "--all"], environment: env("b"))
        try #require(end.exitCode == 0, "\(end.stderr)")
        _ = try JarvisProcess.run(["drain"], environment: env("b"))
        let stored = try postgres.psql(["-At", "-c", "SELECT suppressed_count, ended_at IS NOT NULL FROM maintenance_windows"])
        #expect(stored.trimmingCharacters(in: .whitespacesAndNewlines) == "1|t", "\(stored)")
        let report = try JarvisProcess.run(["weekly-report", "--no-post", "--json"], environment: env("a"))
        let json = try #require(try JSONSerialization.jsonObject(with: Data(report.stdout.utf8)) as? [String: Any])
        #expect(((json["maintenance"] as? [[String: Any]])?.first?["suppressed"] as? Int) == 3, "\(report.stdout)")
    }
}
