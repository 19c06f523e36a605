import Foundation
import JarvisCore
import JarvisTestSupport
import Testing

@Suite struct TriageCascadeTests {
    let t = TriageFixtures.at
    let spec = CascadeGraph(configuration: .specExample)

    // MARK: Spec example through the pipeline

    @Test func twoLevelCascadeVPNThenVPSHostThenContainers() {
        var pipeline = TriagePipeline(graph: spec)
        let sample = TriageFixtures.vpnCascade
        let vpn = pipeline.triage(sample.vpn, host: .host("outpost"), now: t(0))
        #expect(vpn.decision == .actionable)
        let hostDown = pipeline.triage(sample.vpsHostDown, host: .host("vps"), now: t(30))
        #expect(hostDown.decision == .suppressedCascade(rootCause: sample.vpn.occurrence.description))
        #expect(hostDown.rootCauseChain.map(\.alertname) == ["WireGuardVPNDown"])
        let postgres = pipeline.triage(sample.postgres, host: .host("vps"), now: t(30))
        #expect(postgres.decision == .suppressedCascade(rootCause: sample.vpn.occurrence.description))
        let container = pipeline.triage(sample.container, host: .host("vps"), now: t(60))
        #expect(container.decision == .suppressedCascade(rootCause: sample.vpn.occurrence.description))
        #expect(container.kind == "suppressed:cascade")
        #expect(container.rootCauseChain.map(\.alertname) == ["VPSHostDown", "WireGuardVPNDown"])
        #expect(container.reason.contains("WireGuardVPNDown"))
        #expect(container.reason.contains("via VPSHostDown"))
    }

    @Test func whenTheVPNComesBackTheHostDownStillHidesTheContainers() {
        var pipeline = TriagePipeline(graph: spec)
        let sample = TriageFixtures.vpnCascade
        _ = pipeline.triage(sample.vpn, host: .host("outpost"), now: t(0))
        _ = pipeline.triage(sample.vpsHostDown, host: .host("vps"), now: t(30))
        #expect(pipeline.triage(TriageFixtures.resolved(sample.vpn, endsAt: t(40)), host: .host("outpost"), now: t(45)).kind == "resolved")
        let container = pipeline.triage(sample.container, host: .host("vps"), now: t(60))
        #expect(container.decision == .suppressedCascade(rootCause: sample.vpsHostDown.occurrence.description))
        #expect(container.rootCauseChain.map(\.alertname) == ["VPSHostDown"])
    }

    @Test func hostDownDoesNotHideOtherHostsAlerts() {
        var pipeline = TriagePipeline(graph: spec)
        _ = pipeline.triage(TriageFixtures.alert("HostDown", labels: ["host": "nas"]), host: .host("nas"), now: t(0))
        let vpsContainer = TriageFixtures.alert("ContainerDown", labels: ["host": "vps", "container": "nginx"])
        #expect(pipeline.triage(vpsContainer, host: .host("vps"), now: t(10)).decision == .actionable)
        let nasContainer = TriageFixtures.alert("ContainerUnhealthy", labels: ["host": "nas", "container": "plex"])
        #expect(pipeline.triage(nasContainer, host: .host("nas"), now: t(10)).kind == "suppressed:cascade")
    }

    @Test func hostDownHidesOnlyTheAlertsItsSignalNames() {
        var pipeline = TriagePipeline(graph: spec)
        _ = pipeline.triage(TriageFixtures.alert("HostDown", labels: ["host": "nas"]), host: .host("nas"), now: t(0))
        let disk = TriageFixtures.alert("DiskSpaceHigh", labels: ["host": "nas", "device": "sda1"])
        #expect(pipeline.triage(disk, host: .host("nas"), now: t(10)).decision == .actionable)
        let unreachable = TriageFixtures.alert("ServiceUnreachable", labels: ["host": "nas", "service": "smb"])
        #expect(pipeline.triage(unreachable, host: .host("nas"), now: t(10)).kind == "suppressed:cascade")
    }

    @Test func aParentHostDownHidesContainersOnItsChildren() {
        var pipeline = TriagePipeline(graph: CascadeGraph(configuration: .specExample, hostParents: ["vm1": ["hypervisor"]]))
        _ = pipeline.triage(TriageFixtures.alert("HostDown", labels: ["host": "hypervisor"]), host: .host("hypervisor"), now: t(0))
        let child = TriageFixtures.alert("ContainerDown", labels: ["host": "vm1", "container": "web"])
        let outcome = pipeline.triage(child, host: .host("vm1"), now: t(5))
        #expect(outcome.kind == "suppressed:cascade")
        #expect(outcome.rootCauseChain.map(\.alertname) == ["HostDown"])
    }

    // MARK: TTL

    @Test func rootCauseWhoseResolveWasLostStopsSuppressingAfterItsTTL() {
        var causes = RootCauseSet(ttl: 3600)
        let hostDown = TriageFixtures.vpnCascade.vpsHostDown
        let container = TriageFixtures.vpnCascade.container
        #expect(causes.refresh(alert: hostDown, host: "vps", graph: spec, at: t(0)) != nil)
        #expect(causes.suppressor(for: container, host: "vps", graph: spec, at: t(3599))?.alertname == "VPSHostDown")
        #expect(causes.suppressor(for: container, host: "vps", graph: spec, at: t(3600)) == nil)
        #expect(causes.expire(at: t(3600)).map(\.alertname) == ["VPSHostDown"])
        #expect(causes.causes.isEmpty)
    }

    @Test func refreshedRootCauseKeepsSuppressing() {
        var causes = RootCauseSet(ttl: 3600)
        let hostDown = TriageFixtures.vpnCascade.vpsHostDown
        let container = TriageFixtures.vpnCascade.container
        causes.refresh(alert: hostDown, host: "vps", graph: spec, at: t(0))
        causes.refresh(alert: hostDown, host: "vps", graph: spec, at: t(3000))
        #expect(causes.suppressor(for: container, host: "vps", graph: spec, at: t(3601)) != nil)
        #expect(causes.suppressor(for: container, host: "vps", graph: spec, at: t(6599)) != nil)
        #expect(causes.suppressor(for: container, host: "vps", graph: spec, at: t(6600)) == nil)
        #expect(causes.expire(at: t(6599)).isEmpty)
        #expect(causes.causes.values.first?.firstSeenAt == t(0))
        #expect(causes.causes.values.first?.lastFiringAt == t(3000))
    }

    @Test func lostResolveThroughThePipelineStopsSuppressingAfterTheTTL() {
        var pipeline = TriagePipeline(graph: spec)
        _ = pipeline.triage(TriageFixtures.vpnCascade.vpsHostDown, host: .host("vps"), now: t(0))
        let early = TriageFixtures.alert("ContainerDown", labels: ["host": "vps", "container": "a"])
        let late = TriageFixtures.alert("ContainerDown", labels: ["host": "vps", "container": "b"])
        #expect(pipeline.triage(early, host: .host("vps"), now: t(3599)).kind == "suppressed:cascade")
        #expect(pipeline.triage(late, host: .host("vps"), now: t(3600)).decision == .actionable)
    }

    @Test func resolvedRootCauseStopsSuppressingAtOnce() {
        var causes = RootCauseSet()
        let hostDown = TriageFixtures.vpnCascade.vpsHostDown
        causes.refresh(alert: hostDown, host: "vps", graph: spec, at: t(0))
        #expect(causes.resolve(alert: TriageFixtures.resolved(hostDown))?.alertname == "VPSHostDown")
        #expect(causes.suppressor(for: TriageFixtures.vpnCascade.container, host: "vps", graph: spec, at: t(1)) == nil)
    }

    @Test func rootCauseExpiredBeforeItFiresAgainStartsAFreshEpisode() {
        var causes = RootCauseSet(ttl: 3600)
        let hostDown = TriageFixtures.vpnCascade.vpsHostDown
        causes.refresh(alert: hostDown, host: "vps", graph: spec, at: t(0))
        causes.refresh(alert: hostDown, host: "vps", graph: spec, at: t(5000))
        #expect(causes.causes.values.first?.firstSeenAt == t(5000))
    }

    // MARK: What is and is not a root cause

    @Test func onlySignalsAndInhibitSourcesBecomeRootCauses() {
        var causes = RootCauseSet()
        #expect(causes.refresh(alert: TriageFixtures.vpnCascade.container, host: "vps", graph: spec, at: t(0)) == nil)
        #expect(causes.refresh(alert: TriageFixtures.resolved(TriageFixtures.vpnCascade.vpsHostDown), host: "vps", graph: spec, at: t(0)) == nil)
        let vpn = causes.refresh(alert: TriageFixtures.vpnCascade.vpn, host: "outpost", graph: spec, at: t(0))
        #expect(vpn?.node == .service("wireguard"))
        #expect(vpn?.subjects == [.service("wireguard"), .host("outpost")])
        let host = causes.refresh(alert: TriageFixtures.vpnCascade.vpsHostDown, host: "vps", graph: spec, at: t(0))
        #expect(host?.node == .host("vps"))
        #expect(causes.causes.count == 2)
    }

    @Test func anAlertNeverSuppressesItself() {
        // A signal that hides everything behind its node, its own alert included.
        let greedy = CascadeConfiguration(signals: [
            RootCauseSignal(name: "host-down", matchers: [.equal("alertname", "HostDown")], down: .alertHost)
        ])
        var pipeline = TriagePipeline(graph: CascadeGraph(configuration: greedy))
        let hostDown = TriageFixtures.alert("HostDown", labels: ["host": "vps"])
        #expect(pipeline.triage(hostDown, host: .host("vps"), now: t(0)).decision == .actionable)
        #expect(pipeline.triage(hostDown, host: .host("vps"), now: t(600)).decision == .actionable)
        let other = TriageFixtures.alert("DiskSpaceHigh", labels: ["host": "vps"])
        #expect(pipeline.triage(other, host: .host("vps"), now: t(601)).kind == "suppressed:cascade")
    }

    @Test func twoSignalsForTheSameNodeDoNotSuppressEachOther() {
        let greedy = CascadeConfiguration(signals: [
            RootCauseSignal(name: "host-down", matchers: [.oneOf("alertname", ["HostDown", "InstanceDown"])], down: .alertHost)
        ])
        var pipeline = TriagePipeline(graph: CascadeGraph(configuration: greedy))
        let first = TriageFixtures.alert("HostDown", labels: ["host": "vps"])
        let second = TriageFixtures.alert("InstanceDown", labels: ["host": "vps"])
        #expect(pipeline.triage(first, host: .host("vps"), now: t(0)).decision == .actionable)
        #expect(pipeline.triage(second, host: .host("vps"), now: t(1)).decision == .actionable)
    }

    @Test func aDependencyCycleEndsTheWalk() {
        let cyclic = CascadeConfiguration(
            signals: [RootCauseSignal(name: "down", matchers: [.oneOf("alertname", ["ADown", "BDown"])], down: .alertService)],
            services: [
                ServiceDefinition(name: "a", dependsOn: ["b"], matchers: [.equal("alertname", "ADown")]),
                ServiceDefinition(name: "b", dependsOn: ["a"], matchers: [.equal("alertname", "BDown")]),
            ])
        var pipeline = TriagePipeline(graph: CascadeGraph(configuration: cyclic))
        _ = pipeline.triage(TriageFixtures.alert("ADown"), host: .unroutable(reason: "none"), now: t(0))
        let b = pipeline.triage(TriageFixtures.alert("BDown"), host: .unroutable(reason: "none"), now: t(1))
        #expect(b.kind == "suppressed:cascade")
        #expect(b.rootCauseChain.count == 1)
    }

    // MARK: Inhibit rules

    func clusterRule() throws -> CascadeGraph {
        let rule = InhibitRule(
            name: "cluster-down", sourceMatchers: [.equal("alertname", "ClusterDown")],
            targetMatchers: [try LabelMatcher(parsing: "severity=~\"warning|critical\"")], equal: ["cluster"])
        return CascadeGraph(configuration: CascadeConfiguration(inhibitRules: [rule]))
    }

    @Test func inhibitRuleSuppressesTheSameClusterOnly() throws {
        var pipeline = TriagePipeline(graph: try clusterRule())
        let source = TriageFixtures.alert("ClusterDown", labels: ["cluster": "a", "severity": "critical"])
        #expect(pipeline.triage(source, host: .host("k1"), now: t(0)).decision == .actionable)
        let same = TriageFixtures.alert("PodCrashLooping", labels: ["cluster": "a", "severity": "warning"])
        let sameOutcome = pipeline.triage(same, host: .host("k1"), now: t(1))
        #expect(sameOutcome.decision == .suppressedCascade(rootCause: source.occurrence.description))
        let other = TriageFixtures.alert("PodCrashLooping", labels: ["cluster": "b", "severity": "warning"])
        #expect(pipeline.triage(other, host: .host("k2"), now: t(1)).decision == .actionable)
        let missing = TriageFixtures.alert("PodCrashLooping", labels: ["severity": "warning"])
        #expect(pipeline.triage(missing, host: .host("k2"), now: t(1)).decision == .actionable)
        let info = TriageFixtures.alert("PodPending", labels: ["cluster": "a", "severity": "info"])
        #expect(pipeline.triage(info, host: .host("k1"), now: t(1)).decision == .actionable)
    }

    @Test func equalLabelsMissingOnBothSidesCountAsEqual() throws {
        let rule = InhibitRule(sourceMatchers: [.equal("alertname", "ClusterDown")], targetMatchers: [], equal: ["cluster"])
        #expect(rule.inhibits(target: ["alertname": "X"], source: ["alertname": "ClusterDown"]))
        #expect(!rule.inhibits(target: ["alertname": "X", "cluster": "a"], source: ["alertname": "ClusterDown"]))
    }

    @Test func inhibitRuleRegexIsAnchored() throws {
        let rule = InhibitRule(
            sourceMatchers: [.equal("alertname", "NetworkDown")], targetMatchers: [try LabelMatcher(parsing: "alertname=~\"Host.*\"")])
        var pipeline = TriagePipeline(graph: CascadeGraph(configuration: CascadeConfiguration(inhibitRules: [rule])))
        _ = pipeline.triage(TriageFixtures.alert("NetworkDown"), host: .host("router"), now: t(0))
        #expect(pipeline.triage(TriageFixtures.alert("HostDown", labels: ["host": "a"]), host: .host("a"), now: t(1)).kind == "suppressed:cascade")
        #expect(pipeline.triage(TriageFixtures.alert("VPSHostDown", labels: ["host": "b"]), host: .host("b"), now: t(1)).decision == .actionable)
    }

    @Test func inhibitSourceNeverInhibitsItself() {
        let rule = InhibitRule(sourceMatchers: [.equal("alertname", "Noisy")], targetMatchers: [.equal("alertname", "Noisy")])
        var pipeline = TriagePipeline(graph: CascadeGraph(configuration: CascadeConfiguration(inhibitRules: [rule])))
        let first = TriageFixtures.alert("Noisy", labels: ["n": "1"])
        #expect(pipeline.triage(first, host: .host("a"), now: t(0)).decision == .actionable)
        #expect(pipeline.triage(first, host: .host("a"), now: t(400)).decision == .actionable)
        let second = TriageFixtures.alert("Noisy", labels: ["n": "2"])
        #expect(pipeline.triage(second, host: .host("a"), now: t(401)).kind == "suppressed:cascade")
    }

    // MARK: Graph and configuration

    @Test func graphWalksHostsServicesAndTheirDependencies() {
        let config = CascadeConfiguration(
            services: [
                ServiceDefinition(name: "app", host: "web", dependsOn: ["db"]),
                ServiceDefinition(name: "db", host: "dbhost"),
            ],
            hostDependencies: ["web": ["vpn"]])
        let graph = CascadeGraph(configuration: config, hostParents: ["web": ["rack"], "rack": ["core"], "core": ["web"]])
        let upstream = graph.upstream(of: [.service("app")])
        #expect(upstream[.service("app")] == 0)
        #expect(upstream[.host("web")] == 1)
        #expect(upstream[.service("db")] == 1)
        #expect(upstream[.host("rack")] == 2)
        #expect(upstream[.service("vpn")] == 2)
        #expect(upstream[.host("dbhost")] == 2)
        #expect(upstream[.host("core")] == 3)
        #expect(graph.hostAncestors(of: "web") == ["rack", "core"])
        let alert = TriageFixtures.alert("AppDown", labels: ["service": "app", "host": "web"])
        #expect(graph.subjects(of: alert, host: nil) == [.service("app"), .host("web")])
        #expect(graph.subjects(of: alert, host: "other") == [.service("app"), .host("other")])
    }

    @Test func hostComesFromRoutingThenTheConfiguredLabels() {
        let graph = CascadeGraph()
        #expect(graph.host(of: TriageFixtures.alert("X", labels: ["system": "s", "host": "h"]), routed: nil) == "h")
        #expect(graph.host(of: TriageFixtures.alert("X", labels: ["system": "s"]), routed: nil) == "s")
        #expect(graph.host(of: TriageFixtures.alert("X", labels: ["system": "s"]), routed: "r") == "r")
        #expect(graph.host(of: TriageFixtures.alert("X", labels: ["instance": "i:9100"]), routed: nil) == nil)
    }

    @Test func cascadeConfigurationDecodesFromJSONWithMatchersAsText() throws {
        let json = """
            {
              "signals": [{"name": "vpn-down", "matchers": ["alertname=\\"WireGuardVPNDown\\""],
                           "down": {"kind": "service", "name": "wireguard"},
                           "suppresses": ["alertname=~\\"VPSHostDown|PostgreSQLDown\\""]}],
              "services": [{"name": "wireguard", "host": "outpost"}],
              "hostDependencies": {"vps": ["wireguard"]},
              "inhibitRules": [{"sourceMatchers": ["alertname=\\"ClusterDown\\""], "targetMatchers": [], "equal": ["cluster"]}]
            }
            """
        let config = try JSONDecoder().decode(CascadeConfiguration.self, from: Data(json.utf8))
        #expect(config.hostLabels == CascadeConfiguration.defaultHostLabels)
        #expect(config.signals.first?.down == .service("wireguard"))
        #expect(config.inhibitRules.first?.name == "")
        #expect(config.problems.isEmpty)
        let again = try JSONDecoder().decode(CascadeConfiguration.self, from: JSONEncoder().encode(config))
        #expect(again == config)
    }

    @Test func specExampleRoundTripsAndIsConsistent() throws {
        let again = try JSONDecoder().decode(CascadeConfiguration.self, from: JSONEncoder().encode(CascadeConfiguration.specExample))
        #expect(again == .specExample)
        #expect(CascadeConfiguration.specExample.problems.isEmpty)
    }

    @Test func inconsistentConfigurationIsReported() {
        let config = CascadeConfiguration(
            signals: [
                RootCauseSignal(name: "empty", matchers: [], down: .alertHost),
                RootCauseSignal(name: "ghost", matchers: [.equal("alertname", "X")], down: .service("ghost")),
            ],
            services: [ServiceDefinition(name: "a", dependsOn: ["missing"]), ServiceDefinition(name: "a")],
            hostDependencies: ["vps": ["nowhere"]])
        let problems = config.problems
        #expect(problems.contains { $0.contains("\"a\" is declared twice") })
        #expect(problems.contains { $0.contains("unknown service \"missing\"") })
        #expect(problems.contains { $0.contains("hostDependencies.vps: unknown service \"nowhere\"") })
        #expect(problems.contains { $0.contains("signals.empty: has no matchers") })
        #expect(problems.contains { $0.contains("signals.ghost.down: unknown service \"ghost\"") })
    }

    @Test func cascadeNodeEncodesAsKindColonName() throws {
        let data = try JSONEncoder().encode([CascadeNode.host("vps"), .service("wire:guard")])
        #expect(String(decoding: data, as: UTF8.self) == #"["host:vps","service:wire:guard"]"#)
        #expect(try JSONDecoder().decode([CascadeNode].self, from: data) == [.host("vps"), .service("wire:guard")])
        #expect(throws: DecodingError.self) { try JSONDecoder().decode([CascadeNode].self, from: Data(#"["rack:1"]"#.utf8)) }
    }
}
