import Foundation
import JarvisCore
import JarvisJobs
import JarvisTestSupport
import Testing

/// The `discord:` section, the credential and the environment variable.
@Suite struct DiscordConfigurationTests {
    let secretURL = "https://discord.com/api/webhooks/123/very-secret-token"

    func load(_ yaml: String?, environment: [String: String] = [:]) throws -> (JarvisConfiguration, [ConfigurationProblem]) {
        let dir = try TemporaryDirectory()
        var path: String?
        if let yaml {
            path = dir.file("jarvis.yml")
            try yaml.write(toFile: path!, atomically: true, encoding: .utf8)
        }
        return ConfigurationLoader(environment: environment).loadReportingProblems(ConfigurationOverrides(configFile: path))
    }

    @Test func notificationsAreOffByDefault() throws {
        let (configuration, problems) = try load(nil)
        #expect(problems.isEmpty)
        #expect(!configuration.discord.isEnabled)
        #expect(configuration.discord.username == "jarvis" && configuration.discord.timeout == 10)
        #expect(configuration.discord.outboxMessages(NotificationSamples.all()).isEmpty)
    }

    @Test func theSectionIsReadWithDurations() throws {
        let (configuration, problems) = try load(
            """
            discord:
              webhook_url: \(secretURL)
              username: jarvis-homelab
              timeout: 15s
              proxy: http://127.0.0.1:3128
            """)
        #expect(problems.isEmpty, "\(problems)")
        #expect(configuration.discord.webhookURL?.value == secretURL)
        #expect(configuration.discord.username == "jarvis-homelab")
        #expect(configuration.discord.timeout == 15)
        #expect(configuration.discord.proxy?.value == "http://127.0.0.1:3128")
        #expect("\(configuration.discord.webhookURL!)" == "<redacted>")
        let rows = configuration.discord.outboxMessages(NotificationSamples.all())
        #expect(rows.count == NotificationSamples.all().count)
        #expect(rows.allSatisfy { DiscordBodyCheck.object($0.body)?["username"] as? String == "jarvis-homelab" })
    }

    @Test func problemsNameTheKeyAndNeverTheURL() throws {
        let (_, problems) = try load(
            """
            discord:
              webhook_url: http://discord.example/api/webhooks/1/very-secret-token
              username: "discord bot"
              timeout: 0
              colour: red
            """)
        #expect(problems.map(\.keyPath) == ["discord.colour", "discord.timeout", "discord.username", "discord.webhook_url"])
        #expect(!problems.description.contains("very-secret-token"))
    }

    @Test func theCredentialAndThenTheEnvironmentOverrideTheFile() throws {
        let credentials = try TemporaryDirectory()
        try "https://discord.com/api/webhooks/2/from-credential\n".write(
            toFile: credentials.file("discord_webhook_url"), atomically: true, encoding: .utf8)
        let yaml = "discord: { webhook_url: \(secretURL) }"
        let (fromCredential, _) = try load(yaml, environment: ["CREDENTIALS_DIRECTORY": credentials.path])
        #expect(fromCredential.discord.webhookURL?.value == "https://discord.com/api/webhooks/2/from-credential")
        let (fromEnvironment, problems) = try load(
            yaml, environment: ["CREDENTIALS_DIRECTORY": credentials.path, "JARVIS_DISCORD_WEBHOOK_URL": "https://discord.com/api/webhooks/3/env"])
        #expect(problems.isEmpty)
        #expect(fromEnvironment.discord.webhookURL?.value == "https://discord.com/api/webhooks/3/env")
    }

    @Test func usernamesDiscordRefusesAreReported() {
        #expect(DiscordSettings.problem(withUsername: "jarvis") == nil)
        #expect(DiscordSettings.problem(withUsername: "") != nil)
        #expect(DiscordSettings.problem(withUsername: String(repeating: "j", count: 81)) != nil)
        #expect(DiscordSettings.problem(withUsername: "Clyde") != nil)
        #expect(DiscordSettings.problem(withUsername: "a@b") != nil)
    }
}
