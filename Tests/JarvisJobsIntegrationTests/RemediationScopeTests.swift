import Foundation
import JarvisCore
import JarvisJobs
import JarvisSQLite
import JarvisTestSupport
import Testing

/// Autonomy by scope (`remediation.mode` per host and `remediation.rules`), unit safety and
/// provenance through whole ingest runs with the stand-in Anthropic server, and remediation
/// sessions feeding the host state machine.
@Suite struct RemediationScopeTests {
    typealias Setup = RemediationStageTests.Setup

    func provider(_ server: StandInAnthropicServer) -> AnthropicProvider {
        AnthropicProvider(model: "claude-test", baseURL: server.baseURL, apiKey: Secret("test-key"))
    }

    // MARK: - Configuration

    func load(_ yaml: String) throws -> (JarvisConfiguration, [ConfigurationProblem]) {
        let dir = try TemporaryDirectory()
        try yaml.write(toFile: dir.file("jarvis.yml"), atomically: true, encoding: .utf8)
        return ConfigurationLoader(environment: [:]).loadReportingProblems(ConfigurationOverrides(configFile: dir.file("jarvis.yml")))
    }

    @Test func modesRulesUnitsAndContainersAreRead() throws {
        let (configuration, problems) = try load(
            """
            hosts:
              - name: web1
                address: 192.0.2.1
                units: [nginx, php8.2-fpm]
                containers: [grafana]
                remediation: {mode: dry-run}
            remediation:
              mode: execute
              rules:
                - matchers: ['env="prod"', 'severity=~"critical|page"']
                  mode: approve
            """)
        #expect(problems.isEmpty, "\(problems)")
        let host = try #require(configuration.inventory.host(named: "web1"))
        #expect(host.units == ["nginx", "php8.2-fpm"])
        #expect(host.containers == ["grafana"])
        #expect(host.remediationMode == .dryRun)
        #expect(configuration.remediation.mode == .execute)
        #expect(configuration.remediation.rules.count == 1)
        #expect(configuration.remediation.rules.first?.mode == .approve)
        #expect(configuration.remediation.rules.first?.matchers.count == 2)
    }

    @Test func badModesAndRulesAreProblemsWithTheirKeyPaths() throws {
        let (_, problems) = try load(
            """
            hosts:
              - name: web1
                address: 192.0.2.1
                units: nginx
                remediation: {mode: sometimes, when: never}
            remediation:
              mode: yolo
              rules:
                - matchers: ['env=~"("']
                  mode: approve
                - mode: approve
                - matchers: ['env="prod"']
            """)
        let paths = Set(problems.map(\.keyPath))
        for path in [
            "hosts[0].units", "hosts[0].remediation.mode", "hosts[0].remediation.when", "remediation.mode", "remediation.rules[0].matchers[0]",
            "remediation.rules[1].matchers", "remediation.rules[2].mode",
        ] {
            #expect(paths.contains(path), "\(path) in \(problems)")
        }
        #expect(problems.first { $0.keyPath == "remediation.mode" }?.message.contains("execute, approve or dry-run") == true)
    }

    // MARK: - The most cautious mode wins

    @Test func theMostCautiousModeThatAppliesWinsAndIsNamed() {
        let prod = RemediationModeRule(matchers: [.equal("env", "prod")], mode: .approve)
        let frozen = RemediationModeRule(matchers: [.equal("team", "db")], mode: .dryRun)
        let loose = RemediationModeRule(matchers: [.equal("env", "prod")], mode: .execute)
        func resolve(_ global: RemediationMode, _ host: RemediationMode?, _ labels: [String: String]) -> RemediationScope {
            RemediationScope.resolve(global: global, host: ("web1", host), rules: [loose, prod, frozen], labels: labels)
        }
        #expect(resolve(.execute, nil, [:]) == RemediationScope(mode: .execute, rule: "remediation.mode"))
        #expect(resolve(.execute, nil, ["env": "prod"]).mode == .approve)
        #expect(resolve(.execute, nil, ["env": "prod"]).rule == "remediation.rules[1] {env=\"prod\"} → approve")
        #expect(resolve(.execute, nil, ["env": "prod", "team": "db"]).mode == .dryRun)
        #expect(resolve(.execute, .approve, [:]) == RemediationScope(mode: .approve, rule: "hosts[web1].remediation.mode"))
        // A rule can only make jarvis do less: execute on a dry-run site stays dry-run
        #expect(resolve(.dryRun, .execute, ["env": "prod"]).mode == .dryRun)
        #expect(resolve(.dryRun, nil, ["env": "staging"]).rule == "remediation.mode")
        #expect(RemediationMode.execute < .approve && RemediationMode.approve < .dryRun)
    }

    // MARK: - Through ingest runs

    @Test func aMatchingRuleParksThePlanForAPersonAndTheRowNamesTheRule() throws {
        var setup = try Setup()
        setup.configuration.remediation.rules = [RemediationModeRule(matchers: [.equal("env", "prod")], mode: .approve)]
        let server = try StandInAnthropicServer()
        defer { server.stop() }
        let restart = ActionProposal(action: "docker.restart", parameters: ["container": "nginx"])
        server.enqueue(.proposePlan(actions: [restart]), .proposePlan(actions: [restart]))
        let report = try setup.ingest(
            [
                (["alertname": "ContainerDown", "host": "vps", "container": "nginx", "env": "prod"], [:]),
                (["alertname": "ContainerUnhealthy", "host": "vps", "container": "nginx", "env": "staging"], [:]),
            ], provider: provider(server))
        let items = try #require(report.remediation?.items)
        let prod = try #require(items.first { $0.alertname == "ContainerDown" })
        #expect(prod.kind == .escalated)
        #expect(prod.reason.contains("remediation mode approve (remediation.rules[0] {env=\"prod\"} → approve)"), "\(prod.reason)")
        let staging = try #require(items.first { $0.alertname == "ContainerUnhealthy" })
        #expect(staging.kind == .remediated, "\(staging.reason)")
        #expect(setup.executor.commands == [["docker", "restart", "nginx"]], "only the staging plan ran")
        let parked = try #require(try setup.journal.remediations(where: .awaitingApproval).first)
        #expect(parked.planSummary.contains("[mode approve by remediation.rules[0]"), "\(parked.planSummary)")
    }

    @Test func aHostInDryRunOnlyRecordsItsPlans() throws {
        var setup = try Setup()
        setup.configuration.hosts[0].remediationMode = .dryRun
        let server = try StandInAnthropicServer()
        defer { server.stop() }
        server.enqueue(.proposePlan(actions: [ActionProposal(action: "docker.start", parameters: ["container": "nginx"])]))
        let report = try setup.ingest([(["alertname": "ContainerDown", "host": "vps", "container": "nginx"], [:])], provider: provider(server))
        let item = try #require(report.remediation?.items.first)
        #expect(item.kind == .planned)
        #expect(item.reason.contains("hosts[vps].remediation.mode"), "\(item.reason)")
        #expect(setup.executor.commands.isEmpty)
    }

    @Test func aPlanNamingACoreUnitIsRejectedAndOneNamingAnUnknownUnitWaitsForApproval() throws {
        let setup = try Setup()
        let server = try StandInAnthropicServer()
        defer { server.stop() }
        server.enqueue(
            .proposePlan(actions: [ActionProposal(action: "systemctl.restart", parameters: ["unit": "systemd-reboot.service"])]),
            .proposePlan(actions: [ActionProposal(action: "systemctl.restart", parameters: ["unit": "haproxy"])]),
            .proposePlan(actions: [ActionProposal(action: "systemctl.restart", parameters: ["unit": "api.service"])]))
        let report = try setup.ingest(
            [
                (["alertname": "ServiceDown", "host": "vps", "service": "api"], [:]),
                (["alertname": "ServiceSlow", "host": "vps", "service": "api"], [:]),
                (["alertname": "ServiceFlaky", "host": "vps", "service": "api"], [:]),
            ], provider: provider(server))
        let items = try #require(report.remediation?.items).sorted { ($0.id ?? 0) < ($1.id ?? 0) }
        #expect(items.map(\.kind) == [.rejected, .escalated, .remediated], "\(items.map { "\($0.kind) \($0.reason)" })")
        #expect(items[0].reason.contains("core_unit"))
        #expect(items[1].reason.contains("named neither by the alert's labels nor by the host's inventory"))
        #expect(setup.executor.commands == [["systemctl", "restart", "api.service"]])
    }

    @Test func remediationSessionsFeedTheHostStateMachine() throws {
        var setup = try Setup()
        setup.configuration.ssh.offlineAfter = 2
        let server = try StandInAnthropicServer()
        defer { server.stop() }
        let unreachable = UnreachableExecutor()
        let restart = ActionProposal(action: "docker.restart", parameters: ["container": "nginx"])
        server.enqueue(.proposePlan(actions: [restart]), .proposePlan(actions: [restart]))
        let report = try setup.ingest(
            [
                (["alertname": "ContainerDown", "host": "vps", "container": "nginx"], [:]),
                (["alertname": "ContainerUnhealthy", "host": "vps", "container": "nginx"], [:]),
            ], provider: provider(server), executor: unreachable)
        #expect(report.remediation?.items.filter { $0.kind == .failed }.count == 2)
        let states = try HostStateStore(journal: setup.journal, journalRows: false, runner: "test").load()
        #expect(states.status(of: "vps").state == .offline, "two failed attempts with offline_after 2")
        #expect(states.history.contains { $0.host == "vps" && $0.to == .offline })
    }
}

/// Answers every command as a connection failure after retries, as the SSH executor reports it.
final class UnreachableExecutor: RemediationExecutor, @unchecked Sendable {
    func execute(_ command: ResolvedCommand, on host: HostDefinition, timeout: Double) -> ExecutionOutcome {
        var outcome = ExecutionOutcome(exitStatus: nil, error: "SSH connectFailed for host \(host.name): Connection refused")
        outcome.hostAttempt = .failed(error: outcome.error ?? "")
        return outcome
    }
}
