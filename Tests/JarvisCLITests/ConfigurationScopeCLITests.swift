import Foundation
import JarvisTestSupport
import Testing

/// A missing or bad secret stops only the subcommands that use it.
@Suite(.serialized)
struct ConfigurationScopeCLITests {
    func config(_ dir: TemporaryDirectory, _ yaml: String) throws -> [String: String] {
        try yaml.write(toFile: dir.file("jarvis.yml"), atomically: true, encoding: .utf8)
        return [
            "JARVIS_CONFIG": dir.file("jarvis.yml"), "JARVIS_SPOOL_DIR": dir.file("spool"), "JARVIS_STATE_DIR": dir.file("state"),
            "ANTHROPIC_API_KEY": "",
        ]
    }

    @Test func withoutTheLLMKeyEverySubcommandRunsAndIngestEscalatesSayingSoOnce() throws {
        let dir = try TemporaryDirectory()
        let env = try config(dir, "llm:\n  provider: anthropic\n")
        for arguments in [["drain"], ["status"], ["hosts"], ["maintenance", "status"], ["probe-hosts"]] {
            let run = try JarvisProcess.run(arguments, environment: env)
            #expect(run.exitCode != 78, "\(arguments): \(run.stderr)")
            #expect(!run.stderr.contains("llm.api_key"), "\(arguments): \(run.stderr)")
        }
        try FileManager.default.createDirectory(atPath: dir.file("spool/incoming"), withIntermediateDirectories: true)
        try Fixtures.payload("01-multi-alert-firing-empty-grouplabels.json").write(to: URL(fileURLWithPath: dir.file("spool/incoming/a.json")))
        let ingest = try JarvisProcess.run(["ingest"], environment: env)
        #expect(ingest.exitCode == 0, "\(ingest.stderr)")
        let warnings = ingest.stderr.components(separatedBy: "llm.api_key: the Anthropic API needs a key").count - 1
        #expect(warnings == 1, "\(ingest.stderr)")
        #expect(ingest.stderr.contains("ingest runs without it"))

        let check = try JarvisProcess.run(["check-config"], environment: env)
        #expect(check.exitCode == 78)
        #expect(check.stderr.contains("llm.api_key: the Anthropic API needs a key"), "\(check.stderr)")
        #expect(check.stderr.contains("ANTHROPIC_API_KEY [ingest runs without it]"), "\(check.stderr)")
    }

    @Test func aBadDiscordWebhookStopsOnlyTheSubcommandsThatNotify() throws {
        let dir = try TemporaryDirectory()
        let env = try config(dir, "discord:\n  webhook_url: ftp://example.invalid/hook\n")
        let status = try JarvisProcess.run(["status"], environment: env)
        #expect(status.exitCode != 78, "\(status.stderr)")
        let drain = try JarvisProcess.run(["drain"], environment: env)
        #expect(drain.exitCode != 78, "\(drain.stderr)")
        let ingest = try JarvisProcess.run(["ingest"], environment: env)
        #expect(ingest.exitCode == 78)
        #expect(ingest.stderr.contains("discord.webhook_url"))
        let check = try JarvisProcess.run(["check-config"], environment: env)
        #expect(check.stderr.contains("[stops ingest, maintenance, probe-hosts, weekly-report]"), "\(check.stderr)")
    }
}
