import Foundation
import JarvisTestSupport
import Testing

/// Discord messages through the real binary and a local server standing in for Discord.
@Suite(.serialized) struct NotificationCLITests {
    let dir: TemporaryDirectory

    init() throws { dir = try TemporaryDirectory() }

    var env: [String: String] {
        ["JARVIS_SPOOL_DIR": dir.file("spool"), "JARVIS_STATE_DIR": dir.file("state"), "JARVIS_CONFIG": dir.file("jarvis.yml")]
    }

    func writeConfig(webhook: String, retryLater: String = "30s") throws {
        let demo = try String(contentsOfFile: Fixtures.repositoryRoot.appendingPathComponent("examples/jarvis-demo.yml").path, encoding: .utf8)
        let replay = Fixtures.repositoryRoot.appendingPathComponent("examples/demo-llm.json").path
        try
            (demo.replacingOccurrences(of: "replay_file: demo-llm.json", with: "replay_file: \(replay)")
            + "\ndiscord:\n  webhook_url: \(webhook)\n  retry_later: \(retryLater)\n").write(
                toFile: dir.file("jarvis.yml"), atomically: true, encoding: .utf8)
    }

    func enqueueSamples() throws {
        let failures = try JarvisProcess.enqueueSamples(environment: env)
        try #require(failures.isEmpty, "\(failures.map(\.stderr))")
    }

    static func titles(_ server: TestDiscordServer) -> [String] {
        server.requests.compactMap { request in
            let object = try? JSONSerialization.jsonObject(with: request.body) as? [String: Any]
            return ((object?["embeds"] as? [[String: Any]])?.first?["title"] as? String)
        }
    }

    @Test func aRunsMessagesReachDiscordAndMaintenanceIsAnnounced() throws {
        let server = try TestDiscordServer()
        try writeConfig(webhook: server.webhookURL)
        let start = try JarvisProcess.run(["maintenance", "start", "--host", "web1", "--for", "1h", "--reason", "disk swap"], environment: env)
        #expect(start.exitCode == 0, "\(start.stderr)")
        #expect(Self.titles(server).count == 1)
        try enqueueSamples()
        let ingest = try JarvisProcess.run(["ingest"], environment: env)
        #expect(ingest.exitCode == 0, "\(ingest.stdout)\n\(ingest.stderr)")
        #expect(ingest.stdout.contains("discord: delivered"), "\(ingest.stdout)")
        let titles = Self.titles(server)
        // maintenance started, one suppression summary, flapping, the rejected LLM proposal
        #expect(titles.count >= 4, "\(titles)")
        #expect(titles.filter { $0.lowercased().contains("suppress") }.count == 1, "one summary for the run: \(titles)")
        #expect(titles.contains { $0.lowercased().contains("flapping") }, "\(titles)")
        #expect(titles.contains { $0.lowercased().contains("rejected") }, "\(titles)")
        // Alert text never pings: every message has allowed_mentions with nothing to parse
        for request in server.requests {
            let object = try #require(try JSONSerialization.jsonObject(with: request.body) as? [String: Any])
            let mentions = try #require(object["allowed_mentions"] as? [String: Any])
            #expect((mentions["parse"] as? [Any])?.isEmpty == true || (object["content"] as? String) == "@here")
        }
        let end = try JarvisProcess.run(["maintenance", "end", "--all"], environment: env)
        #expect(end.exitCode == 0)
        #expect(Self.titles(server).last?.lowercased().contains("maintenance") == true, "\(Self.titles(server))")
    }

    @Test func withDiscordDownMessagesWaitAndTheNextRunDeliversEachOnce() throws {
        let closed = try LoopbackPorts.closedPort()
        try writeConfig(webhook: "http://127.0.0.1:\(closed)/api/webhooks/1/test-token", retryLater: "0")
        try enqueueSamples()
        let down = try JarvisProcess.run(["ingest"], environment: env)
        #expect(down.exitCode == 75, "undelivered messages make the run degraded: \(down.stdout)\n\(down.stderr)")
        #expect(!down.stderr.contains("test-token"), "the webhook URL never prints")

        let server = try TestDiscordServer()
        try writeConfig(webhook: server.webhookURL)
        let up = try JarvisProcess.run(["ingest"], environment: env)
        #expect(up.exitCode == 0, "\(up.stdout)\n\(up.stderr)")
        let bodies = server.requests.map(\.text)
        #expect(bodies.count >= 3, "\(bodies.count)")
        #expect(Set(bodies).count == bodies.count, "each message once")
        let again = try JarvisProcess.run(["ingest"], environment: env)
        #expect(again.exitCode == 0)
        #expect(server.requests.count == bodies.count, "nothing sent twice")
    }
}
