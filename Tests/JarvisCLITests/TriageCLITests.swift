import Foundation
import JarvisTestSupport
import Testing

/// Triage through the real binary: every run is a new process, so what one run decides must
/// be what the next run sees (state, windows, root causes).
@Suite(.serialized) struct TriageCLITests {
    let dir: TemporaryDirectory
    let config: String

    init() throws {
        dir = try TemporaryDirectory()
        config = Fixtures.repositoryRoot.appendingPathComponent("examples/jarvis-demo.yml").path
    }

    var env: [String: String] {
        ["JARVIS_SPOOL_DIR": dir.file("spool"), "JARVIS_STATE_DIR": dir.file("state"), "JARVIS_CONFIG": config]
    }

    /// One Alertmanager webhook body with the given alerts (labels, status, startsAt).
    static func webhook(_ alerts: [(labels: [String: String], status: String, startsAt: String)]) -> Data {
        let objects: [[String: Any]] = alerts.map { alert in
            [
                "status": alert.status, "labels": alert.labels, "annotations": ["summary": "test"], "startsAt": alert.startsAt,
                "endsAt": alert.status == "resolved" ? "2026-11-29T04:00:00Z" : "0001-01-01T00:00:00Z", "generatorURL": "",
                "fingerprint": "",
            ]
        }
        let body: [String: Any] = [
            "version": "4", "receiver": "jarvis", "status": "firing", "alerts": objects, "groupLabels": [:], "commonLabels": [:],
            "commonAnnotations": [:], "externalURL": "http://am:9093", "groupKey": "{}:{}",
        ]
        return try! JSONSerialization.data(withJSONObject: body)
    }

    func ingest(_ alerts: [(labels: [String: String], status: String, startsAt: String)]) throws -> JarvisProcess.Result {
        if !alerts.isEmpty {
            let enqueue = try JarvisProcess.run(["enqueue", "-"], environment: env, stdin: Self.webhook(alerts))
            try #require(enqueue.exitCode == 0, "\(enqueue.stderr)")
        }
        let result = try JarvisProcess.run(["ingest", "--list"], environment: env)
        try #require(result.exitCode == 0, "\(result.stdout)\n\(result.stderr)")
        return result
    }

    func maintenanceStatus() throws -> [String: Any] {
        let result = try JarvisProcess.run(["maintenance", "status", "--json"], environment: env)
        try #require(result.exitCode == 0, "\(result.stderr)")
        return try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    }

    @Test func aRootCauseRecordedByOneRunSuppressesTheCascadeInTheNextRuns() throws {
        // Run 1: the VPN goes down: nothing holds it back
        let first = try ingest([(["alertname": "WireGuardVPNDown", "system": "outpost", "severity": "critical"], "firing", "2026-11-29T03:00:00Z")])
        #expect(first.stdout.contains("triage: actionable 1"), "\(first.stdout)")
        // Run 2 (a new process): the VPS behind the tunnel goes down: hidden by the VPN root cause
        let second = try ingest([(["alertname": "VPSHostDown", "system": "vps", "severity": "critical"], "firing", "2026-11-29T03:01:00Z")])
        #expect(second.stdout.contains("triage: suppressed:cascade 1"), "\(second.stdout)")
        #expect(second.stdout.contains("root cause WireGuardVPNDown"))
        // Run 3: a container on the VPS: hidden through the two-level cascade
        let third = try ingest([(["alertname": "ContainerDown", "host": "vps", "container": "nginx"], "firing", "2026-11-29T03:02:00Z")])
        #expect(third.stdout.contains("triage: suppressed:cascade 1"), "\(third.stdout)")
        #expect(third.stdout.contains("via VPSHostDown"), "\(third.stdout)")
        // Run 4: the VPN resolves; a new container alert is actionable again
        _ = try ingest([(["alertname": "WireGuardVPNDown", "system": "outpost", "severity": "critical"], "resolved", "2026-11-29T03:00:00Z")])
        _ = try ingest([(["alertname": "VPSHostDown", "system": "vps", "severity": "critical"], "resolved", "2026-11-29T03:01:00Z")])
        let fifth = try ingest([(["alertname": "ContainerDown", "host": "vps", "container": "redis"], "firing", "2026-11-29T03:10:00Z")])
        #expect(fifth.stdout.contains("triage: actionable 1"), "\(fifth.stdout)")
    }

    @Test func theSameOccurrenceInTheNextRunWithinTheCooldownIsDeduplicated() throws {
        let alert = (labels: ["alertname": "DiskSpaceHigh", "host": "skynet"], status: "firing", startsAt: "2026-11-29T03:05:00Z")
        #expect(try ingest([alert]).stdout.contains("triage: actionable 1"))
        let again = try ingest([alert])
        #expect(again.stdout.contains("triage: deduplicated 1"), "\(again.stdout)")
        #expect(again.stdout.contains("was processed"))
    }

    @Test func aHostScopedWindowSuppressesOnlyItsHostAndItsEndReEvaluatesParkedAlerts() throws {
        let start = try JarvisProcess.run(
            ["maintenance", "start", "--host", "web1", "--for", "1h", "--reason", "disk swap", "--author", "test"], environment: env)
        #expect(start.exitCode == 0, "\(start.stderr)")
        #expect(start.stdout.contains("maintenance window #1 opened for web1"))
        let run = try ingest([
            (["alertname": "HighCPUUsage", "host": "web1"], "firing", "2026-11-29T03:00:00Z"),
            (["alertname": "HighCPUUsage", "host": "nas"], "firing", "2026-11-29T03:00:00Z"),
        ])
        #expect(run.stdout.contains("suppressed:maintenance 1"), "\(run.stdout)")
        #expect(run.stdout.contains("actionable 1"), "\(run.stdout)")
        let open = try #require(try maintenanceStatus()["open"] as? [[String: Any]])
        #expect(open.count == 1)
        #expect(open.first?["suppressed_count"] as? Int == 1)
        #expect(open.first?["host"] as? String == "web1")

        let end = try JarvisProcess.run(["maintenance", "end", "--host", "web1"], environment: env)
        #expect(end.exitCode == 0, "\(end.stderr)")
        #expect(end.stdout.contains("suppressed 1 alert(s)"), "\(end.stdout)")
        // The next ingest, with nothing new in the spool, triages the parked alert again
        let next = try ingest([])
        #expect(next.stdout.contains("re-evaluated 1 alert(s)"), "\(next.stdout)")
        let status = try maintenanceStatus()
        #expect((status["open"] as? [Any])?.isEmpty == true)
        #expect((status["recently_ended"] as? [[String: Any]])?.first?["ended_at"] is String)
        // And once only
        let after = try ingest([])
        #expect(!after.stdout.contains("re-evaluated"), "\(after.stdout)")
    }

    @Test func maintenanceCommandLinesThatCannotWorkAreRefusedClearly() throws {
        let both = try JarvisProcess.run(["maintenance", "start", "--host", "web1", "--all", "--reason", "x"], environment: env)
        #expect(both.exitCode == 64)
        #expect(both.stderr.contains("exactly one of --host NAME and --all"))
        let unknown = try JarvisProcess.run(["maintenance", "start", "--host", "nope", "--reason", "x"], environment: env)
        #expect(unknown.exitCode == 64)
        #expect(unknown.stderr.contains("no host \"nope\" in the inventory"))
        #expect(unknown.stderr.split(separator: "\n").count == 1, "\(unknown.stderr)")
        let badDuration = try JarvisProcess.run(["maintenance", "start", "--all", "--for", "soon", "--reason", "x"], environment: env)
        #expect(badDuration.exitCode == 64)
        #expect(badDuration.stderr.contains("--for soon"))
        let past = try JarvisProcess.run(["maintenance", "start", "--all", "--until", "2020-01-01T00:00:00Z", "--reason", "x"], environment: env)
        #expect(past.exitCode == 64)
        let nothing = try JarvisProcess.run(["maintenance", "end", "--id", "99"], environment: env)
        #expect(nothing.exitCode == 0)
        #expect(nothing.stdout.contains("no open maintenance window #99"))
    }

    @Test func textOutputGivesTimesToTheSecondAndJSONKeepsNanoseconds() throws {
        // --until takes a time as the text output prints it back.
        let start = try JarvisProcess.run(
            ["maintenance", "start", "--all", "--until", "2999-01-02 03:04:05Z", "--reason", "x", "--author", "test"], environment: env)
        #expect(start.exitCode == 0, "\(start.stderr)")
        #expect(start.stdout.contains("until 2999-01-02 03:04:05Z"), "\(start.stdout)")
        let text = try JarvisProcess.run(["maintenance", "status"], environment: env)
        let since = try #require(text.stdout.firstMatch(of: /since (\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ),/), "\(text.stdout)")
        let window = try #require((try maintenanceStatus()["open"] as? [[String: Any]])?.first)
        let startsAt = try #require(window["starts_at"] as? String)
        // The JSON has the fraction; the text has the same second without it.
        #expect(startsAt.contains("."), "\(startsAt)")
        #expect(startsAt.prefix(19) == since.1.prefix(10) + "T" + since.1.dropFirst(11).prefix(8))
    }

    @Test func badTriageAndCascadeSettingsAreReportedWithTheirKeyPaths() throws {
        let file = dir.file("bad.yml")
        try """
        triage:
          dedup_cooldown: soon
          flapping: { high: 150 }
          colour: blue
        cascade:
          signals:
            - name: broken
              matchers: ['alertname=~"(unclosed"']
              down: { kind: host }
          services:
            - name: db
              host: vps
              depends_on: [nothing]
          extra: 1
        """.write(toFile: file, atomically: true, encoding: .utf8)
        let check = try JarvisProcess.run(["check-config", "--config", file])
        #expect(check.exitCode == 78)
        for expected in [
            "triage.dedup_cooldown", "triage.flapping.high", "triage.colour: unknown setting", "cascade.extra: unknown setting",
            "cascade.signals[0].matchers[0]",
        ] {
            #expect(check.stderr.contains(expected), "missing \(expected) in: \(check.stderr)")
        }
        // A valid graph with a dangling reference is reported too
        try """
        cascade:
          services:
            - name: db
              host: vps
              depends_on: [nothing]
        """.write(toFile: file, atomically: true, encoding: .utf8)
        let dangling = try JarvisProcess.run(["check-config", "--config", file])
        #expect(dangling.exitCode == 78)
        #expect(dangling.stderr.contains("cascade.services.db.depends_on: unknown service \"nothing\""), "\(dangling.stderr)")
    }

    @Test func badRemediationAndLLMSettingsAreReportedWithTheirKeyPaths() throws {
        let file = dir.file("remediation.yml")
        try """
        hosts:
          - name: vps
            address: 192.0.2.2
        remediation:
          mode: yolo
          jarvis_host: nope
          hosts:
            ghost: { disable: [docker.restart] }
          actions:
            - name: bad.action
              argv: [rm, -rf, /]
        llm:
          provider: anthropic
          colour: blue
        """.write(toFile: file, atomically: true, encoding: .utf8)
        let check = try JarvisProcess.run(["check-config", "--config", file], environment: ["ANTHROPIC_API_KEY": ""])
        #expect(check.exitCode == 78)
        for expected in [
            "remediation.mode: expected execute, approve or dry-run", "remediation.jarvis_host: no host \"nope\"", "remediation.hosts.ghost: no host",
            "remediation.actions[0]", "llm.colour: unknown setting", "llm.api_key: the Anthropic API needs a key",
        ] {
            #expect(check.stderr.contains(expected), "missing \(expected) in: \(check.stderr)")
        }
    }
}
