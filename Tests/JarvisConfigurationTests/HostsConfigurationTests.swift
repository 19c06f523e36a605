import Foundation
import JarvisCore
import JarvisJobs
import JarvisTestSupport
import Testing

/// The `hosts:` and `ssh:` sections of the YAML configuration.
@Suite struct HostsConfigurationTests {
    func load(_ yaml: String) throws -> (JarvisConfiguration, [ConfigurationProblem]) {
        let dir = try TemporaryDirectory()
        let path = dir.file("jarvis.yml")
        try yaml.write(toFile: path, atomically: true, encoding: .utf8)
        return ConfigurationLoader(environment: [:]).loadReportingProblems(ConfigurationOverrides(configFile: path))
    }

    @Test func aFullInventoryDecodesWithDefaultsFilledIn() throws {
        let (configuration, problems) = try load(
            """
            hosts:
              - name: outpost
                address: 192.0.2.10
                user: jarvis
                identity_file: /etc/jarvis/id_ed25519
                known_hosts_file: /etc/jarvis/known_hosts
                routes:
                  labels: { host: [outpost], system: wireguard-hub }
                  instance_prefixes: ["outpost:"]
              - name: vps
                address: vps.example.net
                port: 2222
                parents: [outpost]
              - name: skynet
                address: 127.0.0.1
                local: true
            """)
        #expect(problems.isEmpty, "\(problems)")
        #expect(configuration.hosts.map(\.name) == ["outpost", "vps", "skynet"])
        let outpost = configuration.hosts[0]
        #expect(outpost.port == 22 && outpost.user == "jarvis")
        #expect(outpost.identityFile == "/etc/jarvis/id_ed25519" && outpost.knownHostsFile == "/etc/jarvis/known_hosts")
        #expect(outpost.routes.labels == ["host": ["outpost"], "system": ["wireguard-hub"]])
        #expect(outpost.routes.instancePrefixes == ["outpost:"])
        #expect(configuration.hosts[1] == HostDefinition(name: "vps", address: "vps.example.net", port: 2222, parents: ["outpost"]))
        #expect(configuration.hosts[2].local && configuration.hosts[2].user == "root")
        #expect(configuration.inventory.route(labels: ["instance": "outpost:9100"]) == .host("outpost"))
    }

    @Test func aBadInventoryReportsEveryProblemWithItsKeyPath() throws {
        let (_, problems) = try load(
            """
            hosts:
              - name: a
                address: 127.0.0.1
                port: 70000
                parents: [b]
              - name: b
                address: 127.0.0.1
                parents: [a]
              - name: a
                address: 127.0.0.1
                parents: [ghost]
                colour: blue
              - address: 127.0.0.1
                port: twenty-two
                local: maybe
              - just a string
            """)
        let paths = problems.map(\.keyPath)
        for (path, words) in [
            ("hosts[0].port", "70000 is outside 1...65535"),
            ("hosts[0].parents", "parent cycle: a → b → a"),
            ("hosts[2].name", "duplicate host name \"a\""),
            ("hosts[2].parents[0]", "\"ghost\" is not a host"),
            ("hosts[2].colour", "unknown setting"),
            ("hosts[3].name", "required"),
            ("hosts[3].port", "expected a whole number"),
            ("hosts[3].local", "expected true or false"),
            ("hosts[4]", "expected a mapping"),
        ] {
            #expect(problems.contains { $0.keyPath == path && $0.message.contains(words) }, "no \(path): \(words) in \(problems)")
        }
        // Each mistake once: the missing name is not also reported as empty or duplicate
        #expect(paths.filter { $0 == "hosts[3].name" }.count == 1)
        #expect(!paths.contains { $0.hasPrefix("hosts[4].") })
    }

    @Test func sshDefaultsAreTheDocumentedNumbers() throws {
        let (configuration, problems) = try load("spool_dir: /tmp/x\n")
        #expect(problems.isEmpty)
        let ssh = configuration.ssh
        #expect(ssh.connectTimeout == 10 && ssh.commandTimeout == 60 && ssh.outputCap == 64 * 1024)
        #expect(ssh.retries == 3 && ssh.offlineAfter == 3 && ssh.recheckInterval == 300)
        #expect(ssh.probeTimeout == 5 && ssh.probeConcurrency == 256)
        #expect(configuration.hosts.isEmpty)
    }

    @Test func sshSettingsTakeSecondsOrDurationTextAndReportBadValues() throws {
        let (good, goodProblems) = try load(
            """
            ssh:
              connect_timeout: 2.5
              recheck_interval: 5m
              probe_timeout: 1
              output_cap: 16KiB
              offline_after: 5
              probe_concurrency: 64
            """)
        #expect(goodProblems.isEmpty, "\(goodProblems)")
        #expect(good.ssh.connectTimeout == 2.5 && good.ssh.recheckInterval == 300 && good.ssh.probeTimeout == 1)
        #expect(good.ssh.outputCap == 16 * 1024 && good.ssh.offlineAfter == 5 && good.ssh.probeConcurrency == 64)
        #expect(good.ssh.thresholds == HostStateMachine.Thresholds(offlineAfterFailures: 5, recheckInterval: 300))

        let (_, problems) = try load(
            """
            ssh:
              connect_timeout: soon
              retries: 0
              probe_timeout: 0
              recheck_interval: 1x
              colour: blue
            """)
        for (path, words) in [
            ("ssh.connect_timeout", "invalid duration"), ("ssh.retries", "out of range"), ("ssh.probe_timeout", "out of range"),
            ("ssh.recheck_interval", "invalid duration"), ("ssh.colour", "unknown setting"),
        ] {
            #expect(problems.contains { $0.keyPath == path && $0.message.contains(words) }, "no \(path): \(words) in \(problems)")
        }
    }

    @Test(arguments: ["jarvis-embedded.yml", "jarvis-postgres.yml"])
    func exampleInventoriesDecode(name: String) throws {
        let path = Fixtures.repositoryRoot.appendingPathComponent("examples/\(name)").path
        let (configuration, problems) = ConfigurationLoader(environment: [:]).loadReportingProblems(ConfigurationOverrides(configFile: path))
        #expect(problems.isEmpty, "\(problems)")
        #expect(configuration.hosts.map(\.name) == ["outpost", "vps", "skynet"])
        #expect(configuration.hosts[1].parents == ["outpost"])
        #expect(configuration.hosts[2].local)
    }
}
