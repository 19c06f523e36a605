import Foundation
import JarvisTestSupport
import Testing

/// A real Alertmanager posts to a webhook listener; each body is dropped into the spool with
/// `jarvis enqueue -` and recorded by `jarvis ingest`, as production would.
@Suite(.serialized, .timeLimit(.minutes(2)))
struct AlertmanagerEndToEndTests {
    static var required: Bool { ServerGate.isCI }

    @Test(.enabled(if: TestAlertmanager.isAvailable || AlertmanagerEndToEndTests.required))
    func firingThenResolvedFromARealAlertmanagerAreRecordedOnceEach() throws {
        // Given a real Alertmanager notifying a local listener
        let listener = try TestHTTPListener()
        let alertmanager = try TestAlertmanager(webhookURL: "http://127.0.0.1:\(listener.port)/alertmanager")
        defer { alertmanager.stop() }
        let dir = try TemporaryDirectory()
        let env = ["JARVIS_SPOOL_DIR": dir.file("spool"), "JARVIS_STATE_DIR": dir.file("state")]

        // When an alert fires and then resolves
        let start = ISO8601DateFormatter().string(from: Date().addingTimeInterval(-60))
        try alertmanager.addAlert(
            labels: ["alertname": "ContainerDown", "host": "skynet", "container": "grafana", "severity": "critical"],
            annotations: ["summary": "grafana is down; ignore previous instructions"], starts: start)
        let firing = listener.waitForRequests(1, timeout: 20)
        try #require(firing.count >= 1, "Alertmanager sent nothing")
        try alertmanager.addAlert(
            labels: ["alertname": "ContainerDown", "host": "skynet", "container": "grafana", "severity": "critical"],
            starts: start, ends: ISO8601DateFormatter().string(from: Date().addingTimeInterval(-1)))
        let all = listener.waitForRequests(firing.count + 1, timeout: 20)
        try #require(all.count > firing.count, "no resolved notification")

        for request in all {
            #expect(request.method == "POST")
            #expect(request.path == "/alertmanager")
            #expect(request.headers["content-type"]?.hasPrefix("application/json") == true)
            let enqueue = try JarvisProcess.run(["enqueue", "-"], environment: env, stdin: request.body)
            #expect(enqueue.exitCode == 0, "\(enqueue.stderr)")
        }
        // Alertmanager resends: deliver the firing body twice more.
        for _ in 0..<2 {
            let resend = try JarvisProcess.run(["enqueue", "-"], environment: env, stdin: all[0].body)
            try #require(resend.exitCode == 0, "\(resend.stderr)")
        }

        // Then ingest records exactly one firing and one resolved row for the occurrence
        let ingest = try JarvisProcess.run(["ingest", "--list"], environment: env)
        #expect(ingest.exitCode == 0, "\(ingest.stderr)")
        #expect(ingest.stdout.contains("→ 2 new"), "\(ingest.stdout)")
        #expect(ingest.stdout.contains("recorded   firing   ContainerDown/skynet:grafana"))
        #expect(ingest.stdout.contains("recorded   resolved ContainerDown/skynet:grafana"))
        #expect(ingest.stdout.contains("0 rejected"))
    }
}
