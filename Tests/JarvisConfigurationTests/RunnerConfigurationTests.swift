import Foundation
import JarvisCore
import JarvisJobs
import JarvisTestSupport
import Testing

/// The `runner:` section: this runner's name, its peers and what it does while PostgreSQL is away.
@Suite struct RunnerConfigurationTests {
    func load(_ yaml: String?, environment: [String: String] = [:]) throws -> (JarvisConfiguration, [ConfigurationProblem]) {
        try DiscordConfigurationTests().load(yaml, environment: environment)
    }

    @Test func byDefaultTheRunnerIsNamedAfterTheHostAndActsAloneWithoutPostgreSQL() throws {
        let (configuration, problems) = try load(nil)
        #expect(problems.isEmpty)
        #expect(!configuration.runner.isEmpty)
        #expect(configuration.runnerSettings.mode == .single && configuration.runnerSettings.peers.isEmpty)
        #expect(!configuration.runnerSettings.isShared)
    }

    @Test func theSectionNamesTheRunnerAndItsPeers() throws {
        let (configuration, problems) = try load(
            """
            runner:
              id: web-a
              peers: [web-b, web-c]
            """)
        #expect(problems.isEmpty, "\(problems)")
        #expect(configuration.runner == "web-a")
        #expect(configuration.runnerSettings.peers == ["web-b", "web-c"])
        #expect(configuration.runnerSettings.isShared, "peers mean other runners may get the same alerts")
    }

    @Test func aPlainNameAndTheEnvironmentStillWork() throws {
        #expect(try load("runner: web-a").0.runner == "web-a")
        let (configuration, _) = try load("runner:\n  mode: shared", environment: ["JARVIS_RUNNER_ID": "from-env"])
        #expect(configuration.runner == "from-env")
        #expect(configuration.runnerSettings.isShared)
    }

    @Test func mistakesAreReportedWithTheirKeyPath() throws {
        let (_, problems) = try load(
            """
            runner:
              mode: cluster
              peers: web-b
              name: typo
              id: ""
            """)
        let paths = problems.map(\.keyPath)
        #expect(
            paths.contains("runner.mode") && paths.contains("runner.peers") && paths.contains("runner.name") && paths.contains("runner.id"),
            "\(problems)")
        #expect(problems.first { $0.keyPath == "runner.mode" }?.description.contains("single or shared") == true, "\(problems)")
    }
}
