import Foundation
import JarvisTestSupport
import Testing

/// The whole loop with real parts: a real Alertmanager notifies `jarvis accept` (under
/// `systemd-socket-activate`, with the bearer token from a credentials file) → spool →
/// `jarvis ingest` → a catalog action run on the real test sshd → Alertmanager's resolved
/// notification → verified. And Alertmanager's retries: with the receiver killed while a
/// notification waits, it arrives once it is back, and is recorded once.
@Suite(.serialized, .timeLimit(.minutes(4)))
struct AcceptLoopEndToEndTests {
    static var required: Bool { ProcessInfo.processInfo.environment["CI"] == "true" }
    static var enabled: Bool { (TestAlertmanager.isAvailable && TestAcceptServer.isAvailable && TestSSHD.isAvailable) || required }

    /// Holds the configuration, its folder and the marker folder.
    let remediation: RemediationCLITests
    var markers: String { remediation.markers }

    init() throws {
        remediation = try RemediationCLITests()
    }

    func environment(_ accept: TestAcceptServer) -> [String: String] {
        accept.environment.merging(["JARVIS_CONFIG": remediation.dir.file("jarvis.yml")]) { $1 }
    }

    /// The test sshd, the configuration (the LLM's recorded answers hold `plans` plans for
    /// MarkerAlert), accept under systemd-socket-activate and Alertmanager pointing at it.
    /// A recurring alert (`recurring`) keeps flapping detection and the attempt budget out of the way.
    func startLoop(plans: Int = 1, recurring: Bool = false) async throws -> (TestSSHD, TestAcceptServer, TestAlertmanager) {
        let sshd = try await OffPool.run { try TestSSHD.start() }
        do {
            // The configuration of the remediation tests: the test host, an acting catalog
            // action that touches a marker, the LLM's recorded answers.
            try remediation.writeConfig(
                server: sshd, answers: ["MarkerAlert": Array(repeating: RemediationCLITests.plan("test.touch-marker"), count: plans)],
                extra: recurring ? "triage:\n  flapping:\n    window: 1000\n  attempts:\n    limit: 100" : "")
            let accept = try TestAcceptServer(arguments: ["--idle-exit", "0"])
            let alertmanager = try TestAlertmanager(
                webhookURL: "http://127.0.0.1:\(accept.port)/webhook/alertmanager", bearerTokenFile: accept.tokenFile)
            return (sshd, accept, alertmanager)
        } catch {
            sshd.stop()
            throw error
        }
    }

    /// Waits until `incoming/` holds more than `count` files.
    func waitForDelivery(_ accept: TestAcceptServer, beyond count: Int, timeout: Double = 30) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            // The spool appears with the first connection: not there yet is not delivered yet.
            if ((try? accept.files("incoming"))?.count ?? 0) > count { return true }
            usleep(100_000)
        }
        return false
    }

    func ingest(_ accept: TestAcceptServer) throws -> JarvisProcess.Result {
        let result = try JarvisProcess.run(["ingest", "--list"], environment: environment(accept))
        #expect(result.exitCode == 0, "\(result.stdout)\n\(result.stderr)")
        return result
    }

    @Test(.enabled(if: enabled))
    func anAlertFromAlertmanagerIsFixedOverSSHAndVerifiedByItsResolvedNotification() async throws {
        let (sshd, accept, alertmanager) = try await startLoop()
        defer {
            alertmanager.stop()
            sshd.stop()
        }

        // Firing: Alertmanager → accept → spool → ingest → the catalog action on the test host.
        let labels = ["alertname": "MarkerAlert", "host": "testhost", "severity": "warning"]
        let start = ISO8601DateFormatter().string(from: Date().addingTimeInterval(-30))
        try alertmanager.addAlert(labels: labels, starts: start)
        try #require(waitForDelivery(accept, beyond: 0), "no notification reached the spool: \(accept.log)")
        let first = try ingest(accept)
        #expect(first.stdout.contains("recorded   firing   MarkerAlert/testhost"), "\(first.stdout)")
        #expect(first.stdout.contains("remediated #1"), "\(first.stdout)")
        #expect(FileManager.default.fileExists(atPath: markers + "/fixed"), "the action ran on the test host")

        // Resolved: Alertmanager's own resolved notification verifies the fix.
        try alertmanager.addAlert(labels: labels, starts: start, ends: ISO8601DateFormatter().string(from: Date().addingTimeInterval(-1)))
        try #require(waitForDelivery(accept, beyond: 0), "no resolved notification: \(accept.log)")
        let second = try ingest(accept)
        #expect(second.stdout.contains("recorded   resolved MarkerAlert/testhost"), "\(second.stdout)")
        #expect(second.stdout.contains("verified #1"), "\(second.stdout)")
        #expect(try accept.files("rejected").isEmpty)
    }

    @Test(.enabled(if: enabled))
    func aNotificationWaitingWhileTheReceiverIsDownArrivesOnceItIsBack() async throws {
        let (sshd, accept, alertmanager) = try await startLoop()
        defer {
            alertmanager.stop()
            sshd.stop()
        }

        // The receiver dies (SIGKILL); an alert fires meanwhile; Alertmanager keeps retrying.
        accept.kill()
        try alertmanager.addAlert(labels: ["alertname": "RetriedAlert", "severity": "warning"])
        sleep(4)
        #expect(try accept.files("incoming").isEmpty)
        try accept.start()
        try #require(waitForDelivery(accept, beyond: 0), "the retry never arrived: \(accept.log)")
        sleep(3)  // room for a second delivery, were Alertmanager to send one
        let run = try ingest(accept)
        #expect(run.stdout.contains("recorded   firing   RetriedAlert"), "\(run.stdout)")
        #expect(run.stdout.contains("→ 1 new"), "recorded once: \(run.stdout)")
        #expect(try accept.files("tmp").allSatisfy { $0.hasSuffix(".part") })
    }

    // MARK: Learning

    /// Repeats firing → fix over SSH → resolved → verified → `jarvis learn` until the pattern
    /// is trusted, then the next firing is fixed with no LLM call (the recorded answers hold
    /// exactly as many plans as the runs before trust, so a further LLM call would find none).
    @Test(.enabled(if: enabled))
    func repeatedVerifiedFixesAreLearnedUntilTrustedThenNoLLMIsAsked() async throws {
        let trustedAfter = 9  // tier 1: confidence ≥ 0.90 after age decay, i.e. 9 verified successes
        let (sshd, accept, alertmanager) = try await startLoop(plans: trustedAfter, recurring: true)
        defer {
            alertmanager.stop()
            sshd.stop()
        }
        let labels = ["alertname": "MarkerAlert", "host": "testhost", "severity": "warning"]
        for round in 0...trustedAfter {
            try? FileManager.default.removeItem(atPath: markers + "/fixed")
            // A new occurrence: Alertmanager merges a firing alert into a resolved one whose end
            // is later than the new start, so each round starts after the last round's end.
            let start = ISO8601DateFormatter().string(from: Date().addingTimeInterval(-1))
            try alertmanager.addAlert(labels: labels, starts: start)
            try #require(waitForDelivery(accept, beyond: 0))
            let fired = try ingest(accept)
            #expect(FileManager.default.fileExists(atPath: markers + "/fixed"), "round \(round): \(fired.stdout)")
            if round == trustedAfter {
                #expect(fired.stdout.contains("learned fix (pattern #"), "the trusted pattern fixed it, no LLM: \(fired.stdout)")
                break
            }
            try alertmanager.addAlert(labels: labels, starts: start, ends: ISO8601DateFormatter().string(from: Date().addingTimeInterval(-0.2)))
            try #require(waitForDelivery(accept, beyond: 0))
            #expect(try ingest(accept).stdout.contains("verified"))
            let learn = try JarvisProcess.run(["learn"], environment: environment(accept))
            #expect(learn.exitCode == 0, "\(learn.stderr)")
            sleep(3)  // the next start (whole seconds) falls after this end
        }
    }
}
