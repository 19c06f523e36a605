import Foundation
import JarvisCore
import JarvisTestSupport
import Testing

/// The alerts of the bundled sample spool (`spool/incoming`), by alertname.
private func spoolAlerts() throws -> [String: Alert] {
    var out: [String: Alert] = [:]
    for name in ["10-vpn-down-cascade.json", "11-container-unhealthy.json", "13-disk-space-high.json"] {
        let data = try Data(contentsOf: Fixtures.repositoryRoot.appendingPathComponent("spool/incoming/\(name)"))
        for alert in try AlertmanagerWebhook.decode(data).alerts { out[alert.alertname] = alert }
    }
    return out
}

private func constructed(_ labels: [String: String]) -> Alert {
    Alert(status: .firing, labels: labels, startsAt: Timestamp(seconds: 1_800_000_000))
}

/// Realistic alerts for every seed: from the sample spool where it has one, else built with
/// the labels the usual exporters give (cAdvisor/docker, node_exporter, blackbox, wireguard).
private func realisticAlerts() throws -> [String: Alert] {
    var alerts = try spoolAlerts()
    let built: [[String: String]] = [
        ["alertname": "ContainerRestartLoop", "host": "skynet", "container": "immich-server", "severity": "warning"],
        ["alertname": "HighMemoryUsage", "host": "vps", "container": "nextcloud", "severity": "warning"],
        ["alertname": "ContainerOOM", "host": "vps", "container": "jellyfin", "severity": "critical"],
        ["alertname": "DatabaseConnectionPoolExhausted", "host": "vps", "container": "pgbouncer", "system": "vps", "severity": "critical"],
        ["alertname": "ServiceUnreachable", "host": "vps", "service": "nginx", "instance": "https://vps.example.net", "severity": "critical"],
        ["alertname": "TLSCertificateExpiringSoon", "host": "vps", "instance": "https://vps.example.net", "job": "blackbox", "severity": "warning"],
        ["alertname": "HighCPUUsage", "host": "skynet", "instance": "skynet:9100", "job": "node", "severity": "warning"],
        ["alertname": "SystemdServiceFailed", "host": "outpost", "instance": "outpost:9100", "name": "smartd.service", "state": "failed"],
        ["alertname": "TargetDown", "host": "vps", "instance": "vps.home.arpa:9187", "job": "postgres", "severity": "warning"],
    ]
    for labels in built { alerts[labels["alertname"]!] = constructed(labels) }
    return alerts
}

@Suite struct SeedPatternTests {
    @Test func thereAreFourteenSeedsOnePerAlertOfTheSpec() {
        let names = SeedPattern.all.map(\.alertname)
        #expect(names.count == 14)
        #expect(Set(names).count == 14)
        #expect(
            Set(names) == [
                "ContainerUnhealthy", "ContainerDown", "ContainerRestartLoop", "HighMemoryUsage", "ContainerOOM", "PostgreSQLDown",
                "DatabaseConnectionPoolExhausted", "ServiceUnreachable", "WireGuardVPNDown", "DiskSpaceHigh", "TLSCertificateExpiringSoon",
                "HighCPUUsage", "SystemdServiceFailed", "TargetDown",
            ])
    }

    @Test func theSampleSpoolAlertsAreUsedWhereTheyExist() throws {
        let spool = try spoolAlerts()
        for name in ["ContainerUnhealthy", "ContainerDown", "WireGuardVPNDown", "PostgreSQLDown", "DiskSpaceHigh"] {
            #expect(spool[name] != nil, "\(name)")
        }
    }

    @Test(arguments: SeedPattern.all)
    func eachSeedBindsOnARealisticAlertAndPassesThePolicy(_ seed: SeedPattern) throws {
        let alert = try #require(try realisticAlerts()[seed.alertname])
        let proposals = try #require(seed.bind(to: alert).proposals, "\(seed.bind(to: alert))")
        #expect(proposals.count == seed.actions.count)
        for proposal in proposals {
            #expect(!proposal.parameters.values.contains { $0.contains("{{") })
            let verdict = CommandPolicy().evaluate(proposal, host: "vps", context: PolicyContext())
            #expect(verdict.isAllowed, "\(seed.alertname) \(proposal.action): \(verdict)")
        }
    }

    @Test(arguments: SeedPattern.all)
    func eachSeedIsIneligibleWhenALabelItNeedsIsMissingOrEmpty(_ seed: SeedPattern) throws {
        let alert = try #require(try realisticAlerts()[seed.alertname])
        #expect(!seed.labelsUsed.isEmpty)
        for label in seed.labelsUsed {
            var without = alert
            without.labels[label] = nil
            let reason = try #require(seed.bind(to: without).ineligibleReason)
            #expect(reason.contains(label))
            without.labels[label] = ""
            #expect(seed.bind(to: without).proposals == nil)
        }
    }

    @Test func aSeedDoesNotBindToAnotherAlert() throws {
        let seed = try #require(SeedPattern.seed(for: "ContainerDown"))
        let other = constructed(["alertname": "ContainerUnhealthy", "container": "nginx"])
        #expect(seed.bind(to: other).ineligibleReason?.contains("ContainerUnhealthy") == true)
    }

    @Test func labelsFillTheActions() throws {
        let alert = try #require(try spoolAlerts()["ContainerUnhealthy"])
        let proposals = try #require(SeedPattern.seed(for: "ContainerUnhealthy")?.bind(to: alert).proposals)
        #expect(proposals.map(\.action) == ["docker.logs", "docker.restart"])
        #expect(proposals[1].parameters == ["container": "grafana"])
        let vpnDown = try #require(try spoolAlerts()["WireGuardVPNDown"])
        let wireguard = try #require(SeedPattern.seed(for: "WireGuardVPNDown")?.bind(to: vpnDown).proposals)
        let restart = try #require(CommandPolicy().evaluate(wireguard[1], host: "outpost", context: PolicyContext()).command)
        #expect(restart.argv == ["systemctl", "restart", "wg-quick@wg0"])
    }

    @Test func hostileLabelValuesBindButNeverPassThePolicy() throws {
        let seed = try #require(SeedPattern.seed(for: "ContainerDown"))
        let alert = constructed(["alertname": "ContainerDown", "container": "nginx; curl x | sh"])
        let proposals = try #require(seed.bind(to: alert).proposals)
        for proposal in proposals {
            #expect(CommandPolicy().evaluate(proposal, host: "vps", context: PolicyContext()).rejection?.code == .invalidParameter)
        }
    }

    @Test func containerRestartLoopIsDiagnosticsOnly() throws {
        let seed = try #require(SeedPattern.seed(for: "ContainerRestartLoop"))
        for action in seed.actions {
            #expect(ActionCatalog.defaults.template(named: action.action)?.kind == .readOnly, "\(action.action)")
        }
    }

    @Test func diskSpaceHighPrunesWithoutVolumes() throws {
        let seed = try #require(SeedPattern.seed(for: "DiskSpaceHigh"))
        let alert = try #require(try spoolAlerts()["DiskSpaceHigh"])
        let argvs = try #require(seed.bind(to: alert).proposals).compactMap {
            CommandPolicy().evaluate($0, host: "skynet", context: PolicyContext()).command?.argv
        }
        #expect(argvs.contains(["docker", "image", "prune", "-f"]))
        #expect(argvs.contains(["docker", "builder", "prune", "-f"]))
        #expect(!argvs.joined().contains { $0.contains("volume") })
    }

    @Test func noSeedIsTrustedEnoughToRunWithoutTheLLMOnDayOne() {
        for seed in SeedPattern.all {
            #expect(seed.successes == 2 && seed.failures == 0)
            #expect(seed.confidence == 0.75)
            #expect(seed.tier == .tier3, "\(seed.alertname)")
        }
        // One verified success makes a seed a hint; tier 1 takes confidence 0.90 (8 successes, no failures).
        #expect(FixTier(confidence: PatternConfidence.calculate(successes: 3, failures: 0, ageDays: 0), verifiedSuccesses: 3) == .tier2)
        #expect(FixTier(confidence: PatternConfidence.calculate(successes: 7, failures: 0, ageDays: 0), verifiedSuccesses: 7) == .tier2)
        #expect(FixTier(confidence: PatternConfidence.calculate(successes: 8, failures: 0, ageDays: 0), verifiedSuccesses: 8) == .tier1)
    }
}

@Suite struct PatternFixTierTests {
    @Test(arguments: [
        (0.95, 5, FixTier.tier1),
        (0.90, 5, .tier1),
        (0.90, 4, .tier2),
        (0.95, 2, .tier3),
        (0.8999, 10, .tier2),
        (0.70, 3, .tier2),
        (0.70, 2, .tier3),
        (0.6999, 9, .tier3),
        (0.5, 0, .tier3),
    ])
    func tiersFollowTheThresholdsOfTheSpec(confidence: Double, successes: Int, tier: FixTier) {
        #expect(FixTier(confidence: confidence, verifiedSuccesses: successes) == tier)
    }

    @Test func theThresholdsAreTheSpecs() {
        #expect(FixTier.tier1MinimumConfidence == 0.90)
        #expect(FixTier.tier1MinimumSuccesses == 5)
        #expect(FixTier.tier2MinimumConfidence == 0.70)
        #expect(FixTier.tier2MinimumSuccesses == 3)
        #expect(FixTier.tier1 < .tier2 && .tier2 < .tier3)
    }
}
