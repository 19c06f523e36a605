import Foundation
import JarvisTestSupport
import Testing

/// `jarvis weekly-report` and the textfile metrics every subcommand writes, through the real
/// binary: Discord posts once per period, metrics files always pass `promtool check metrics`.
@Suite(.serialized, .timeLimit(.minutes(3))) struct WeeklyReportCLITests {
    let dir: TemporaryDirectory

    init() throws { dir = try TemporaryDirectory() }

    var env: [String: String] {
        [
            "JARVIS_SPOOL_DIR": dir.file("spool"), "JARVIS_STATE_DIR": dir.file("state"), "JARVIS_CONFIG": dir.file("jarvis.yml"),
            "JARVIS_METRICS_DIR": dir.file("metrics"), "TZ": "UTC",
        ]
    }

    func writeConfig(_ extra: String = "") throws {
        let demo = try String(contentsOfFile: Fixtures.repositoryRoot.appendingPathComponent("examples/jarvis-demo.yml").path, encoding: .utf8)
        let replay = Fixtures.repositoryRoot.appendingPathComponent("examples/demo-llm.json").path
        try (demo.replacingOccurrences(of: "replay_file: demo-llm.json", with: "replay_file: \(replay)") + "\n" + extra)
            .write(toFile: dir.file("jarvis.yml"), atomically: true, encoding: .utf8)
    }

    func enqueueSamples() throws {
        let failures = try JarvisProcess.enqueueSamples(environment: env)
        try #require(failures.isEmpty, "\(failures.map(\.stderr))")
    }

    /// Every `.prom` file of the metrics folder passes `promtool check metrics`; returns their text.
    /// Beside them only the reusable temp files `NAME.prom.tmp` (the version before, rewritten
    /// next time), which node_exporter ignores.
    @discardableResult
    func checkMetrics(after command: String) throws -> [String: String] {
        let folder = dir.file("metrics")
        var files: [String: String] = [:]
        let names = try FileManager.default.contentsOfDirectory(atPath: folder).sorted()
        for name in names {
            let reusable = name.hasSuffix(".prom.tmp") && names.contains(String(name.dropLast(4)))
            #expect(name.hasSuffix(".prom") || reusable, "a leftover in the metrics folder after \(command): \(name)")
            guard name.hasSuffix(".prom") else { continue }
            let text = try String(contentsOfFile: folder + "/" + name, encoding: .utf8)
            files[name] = text
            let attributes = try FileManager.default.attributesOfItem(atPath: folder + "/" + name)
            #expect((attributes[.posixPermissions] as? Int) == 0o644, "\(name)")
            let check = try TestCommand.run("/bin/sh", ["-c", "promtool check metrics < '\(folder)/\(name)'"], check: false)
            #expect(check.status == 0, "promtool after \(command), \(name): \(check.stdout)\(check.stderr)\n\(text)")
        }
        return files
    }

    @Test func everySubcommandWritesMetricsPromtoolAccepts() throws {
        // Given a configuration with an inventory and the sample alerts
        try writeConfig()
        try enqueueSamples()
        var files = try checkMetrics(after: "enqueue")
        #expect(files["jarvis_run_enqueue.prom"]?.contains("jarvis_last_run_exit_code{command=\"enqueue\"} 0") == true)
        // When each subcommand runs
        let runs: [[String]] = [
            ["ingest"], ["ingest"], ["drain"], ["status"], ["migrate"],
            ["maintenance", "start", "--host", "web1", "--for", "1h", "--reason", "test"],
            ["maintenance", "status"], ["maintenance", "end", "--all"], ["hosts"], ["weekly-report", "--no-post"], ["check-config"],
            ["approve", "999"], ["reject", "999"],
        ]
        for arguments in runs {
            let result = try JarvisProcess.run(arguments, environment: env)
            // (approve and reject of an id that does not exist are usage errors: their metrics say 64)
            #expect([0, 75].contains(result.exitCode) || (arguments.last == "999" && result.exitCode == 64), "\(arguments): \(result.stderr)")
            // Then every metrics file is valid afterwards
            files = try checkMetrics(after: arguments.joined(separator: " "))
        }
        for command in [
            "enqueue", "ingest", "drain", "status", "migrate", "maintenance", "hosts", "weekly-report", "check-config", "approve", "reject",
        ] {
            #expect(files["jarvis_run_\(command).prom"] != nil, "no run metrics for \(command)")
        }
        // And the store's metrics hold the counters read from the store
        #expect(files["jarvis_run_approve.prom"]?.contains("jarvis_last_run_exit_code{command=\"approve\"} 64") == true)
        let state = try #require(files["jarvis_state.prom"])
        #expect(state.contains("# TYPE jarvis_alerts_total counter"))
        #expect(state.contains("jarvis_alerts_total{decision=\"actionable\"}"))
        #expect(state.contains("jarvis_remediations_total{tier=\"3\""))
        #expect(state.contains("jarvis_spool_files{folder=\"incoming\"} 0"))
        #expect(state.contains("jarvis_hosts{state=\"online\"}"))
        #expect(state.contains("jarvis_discord_outbox_messages{state=\"pending\"} 0"))
        #expect(state.contains("jarvis_llm_tokens_total{direction=\"in\"}"))
    }

    @Test func noMetricsFolderMeansNoMetrics() throws {
        try writeConfig()
        var environment = env
        environment["JARVIS_METRICS_DIR"] = nil
        let result = try JarvisProcess.run(["status"], environment: environment)
        #expect(result.exitCode == 0)
        #expect(!FileManager.default.fileExists(atPath: dir.file("metrics")))
    }

    @Test func aRunKilledWhileWritingMetricsLeavesThePreviousFile() throws {
        // Given a complete metrics file from earlier runs (the second leaves the reusable temp file)
        try writeConfig()
        for _ in 0..<2 { #expect(try JarvisProcess.run(["status"], environment: env).exitCode == 0) }
        let file = dir.file("metrics/jarvis_run_status.prom")
        let first = try String(contentsOfFile: file, encoding: .utf8)
        // When runs are killed with SIGKILL at each step of writing it (strace stops the run as
        // it makes that call on the temp file): opening it, locking it, writing into it, and
        // swapping it in
        for call in ["openat", "flock", "pwrite64", "renameat2"] {
            let killed = try TestCommand.run(
                "/usr/bin/env",
                [
                    "strace", "-qq", "-o", "/dev/null", "-P", file + ".tmp", "-e", "trace=\(call)", "-e", "inject=\(call):signal=KILL",
                    JarvisProcess.binary, "status",
                ],
                environment: env, check: false)
            // (strace dies of the signal its run died of: Foundation reports the signal's number)
            #expect(killed.status == SIGKILL, "\(call): \(killed.status) \(killed.stderr)")
            // Then the file is the previous run's, whole
            #expect(try String(contentsOfFile: file, encoding: .utf8) == first, "\(call)")
            let check = try TestCommand.run("/bin/sh", ["-c", "promtool check metrics < '\(file)'"], check: false)
            #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
        }
        // And the next run replaces it with a whole new one, over what the killed runs left
        #expect(try JarvisProcess.run(["status"], environment: env).exitCode == 0)
        let last = try String(contentsOfFile: file, encoding: .utf8)
        #expect(last != first && last.components(separatedBy: "\n").count == first.components(separatedBy: "\n").count, "\(last)")
        let check = try TestCommand.run("/bin/sh", ["-c", "promtool check metrics < '\(file)'"], check: false)
        #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
        #expect((try FileManager.default.attributesOfItem(atPath: file)[.posixPermissions] as? Int) == 0o644)
    }

    @Test func aPeriodIsPostedToDiscordOnceAndResendPostsAgain() throws {
        // Given Discord configured and a week with alerts
        let server = try TestDiscordServer()
        try writeConfig("discord:\n  webhook_url: \(server.webhookURL)\n")
        try enqueueSamples()
        _ = try JarvisProcess.run(["ingest"], environment: env)
        let before = server.requests.count
        // When the same week is reported twice
        let first = try JarvisProcess.run(["weekly-report", "--week", "2026-W48", "--text"], environment: env)
        #expect(first.exitCode == 0, "\(first.stderr)")
        #expect(first.stdout.contains("Discord: posted"), "\(first.stdout)")
        let second = try JarvisProcess.run(["weekly-report", "--week", "2026-W48", "--text"], environment: env)
        #expect(second.exitCode == 0)
        #expect(second.stdout.contains("already posted"), "\(second.stdout)")
        // Then Discord got one report
        let reports = server.requests.dropFirst(before).filter { $0.text.contains("Weekly report 2026-W48") }
        #expect(reports.count == 1)
        if let body = reports.first?.text { #expect(DiscordBodyCheck.violations(body) == []) }
        // And --resend posts it again
        let third = try JarvisProcess.run(["weekly-report", "--week", "2026-W48", "--resend", "--json"], environment: env)
        #expect(third.exitCode == 0, "\(third.stderr)")
        #expect(server.requests.dropFirst(before).filter { $0.text.contains("Weekly report 2026-W48") }.count == 2)
        // And the JSON went to stdout, the page to the state folder
        let json = try #require(try JSONSerialization.jsonObject(with: Data(third.stdout.utf8)) as? [String: Any])
        #expect((json["period"] as? [String: Any])?["label"] as? String == "2026-W48")
        #expect(FileManager.default.fileExists(atPath: dir.file("state/reports/weekly-2026-W48.html")))
    }

    @Test func badPeriodsAreUsageErrors() throws {
        try writeConfig()
        for arguments in [["--week", "2026-W60"], ["--since", "tomorrow"], ["--week", "2026-W01", "--since", "2026-01-01"], ["--json", "--text"]] {
            let result = try JarvisProcess.run(["weekly-report", "--no-post"] + arguments, environment: env)
            #expect(result.exitCode == 64, "\(arguments): \(result.exitCode) \(result.stderr)")
            #expect(result.stderr.split(separator: "\n").count <= 3, "\(result.stderr)")
        }
    }
}
