import Foundation
import JarvisCore
import JarvisTestSupport
import Testing

@Suite struct TriagePipelineTests {
    let t = TriageFixtures.at

    func container(_ name: String = "nginx", host: String = "vps", severity: String = "warning", startsAt: Timestamp = TriageFixtures.t0) -> Alert {
        TriageFixtures.alert("ContainerDown", labels: ["host": host, "container": name, "severity": severity], startsAt: startsAt)
    }

    func window(_ id: Int64, host: String?, from start: Double, to end: Double? = nil, endedAt: Double? = nil) -> MaintenanceWindow {
        MaintenanceWindow(
            id: id, host: host, reason: "kernel update", author: "alice", startsAt: t(start), endsAt: end.map(t), endedAt: endedAt.map(t))
    }

    // MARK: 1. Dedup

    @Test func sameOccurrenceWithin299SecondsIsDeduplicatedAndAt301IsNot() {
        var pipeline = TriagePipeline()
        let alert = container()
        #expect(pipeline.triage(alert, host: .host("vps"), now: t(0)).decision == .actionable)
        let duplicate = pipeline.triage(alert, host: .host("vps"), now: t(299))
        #expect(duplicate.decision == .deduplicated)
        #expect(duplicate.kind == "deduplicated")
        #expect(duplicate.reason.contains("4m59s ago"))
        #expect(pipeline.triage(alert, host: .host("vps"), now: t(301)).decision == .actionable)
        // The 301 s run counts as processed again: a resend at 400 s is a duplicate of it.
        #expect(pipeline.triage(alert, host: .host("vps"), now: t(400)).decision == .deduplicated)
    }

    @Test func duplicatesDoNotExtendTheCooldown() {
        var pipeline = TriagePipeline()
        let alert = container()
        _ = pipeline.triage(alert, host: .host("vps"), now: t(0))
        #expect(pipeline.triage(alert, host: .host("vps"), now: t(200)).decision == .deduplicated)
        #expect(pipeline.triage(alert, host: .host("vps"), now: t(300)).decision == .actionable)
    }

    @Test func aNewOccurrenceOfTheSameLabelsIsNotADuplicate() {
        var pipeline = TriagePipeline()
        _ = pipeline.triage(container(), host: .host("vps"), now: t(0))
        #expect(pipeline.triage(container(startsAt: t(10)), host: .host("vps"), now: t(20)).decision == .actionable)
    }

    @Test func theSameOccurrenceResolvedIsNotDeduplicatedAgainstItsFiring() {
        var pipeline = TriagePipeline()
        let alert = container()
        _ = pipeline.triage(alert, host: .host("vps"), now: t(0))
        let resolved = pipeline.triage(TriageFixtures.resolved(alert, endsAt: t(50)), host: .host("vps"), now: t(60))
        #expect(resolved.decision == .resolved(duration: 50))
        #expect(resolved.idempotencyKey.hasSuffix("/resolved"))
        #expect(pipeline.triage(TriageFixtures.resolved(alert, endsAt: t(50)), host: .host("vps"), now: t(90)).decision == .deduplicated)
    }

    // MARK: 2. Resolved

    @Test func resolvedClosesTheOccurrenceAndRecordsItsDuration() {
        var pipeline = TriagePipeline()
        let alert = container()
        _ = pipeline.triage(alert, host: .host("vps"), now: t(5))
        #expect(pipeline.state.openOccurrences[alert.occurrence.description] != nil)
        let outcome = pipeline.triage(TriageFixtures.resolved(alert, endsAt: t(3723)), host: .host("vps"), now: t(3800))
        #expect(outcome.decision == .resolved(duration: 3723))
        #expect(outcome.reason.hasPrefix("resolved after 1h2m3s"))
        #expect(outcome.closedOccurrence?.firstSeenAt == t(5))
        #expect(pipeline.state.openOccurrences.isEmpty)
    }

    @Test func resolvedWithoutAnEndUsesNowAndNeverGoesNegative() {
        var pipeline = TriagePipeline()
        let alert = container(startsAt: t(100))
        #expect(pipeline.triage(TriageFixtures.resolved(alert), host: .host("vps"), now: t(400)).decision == .resolved(duration: 300))
        let skewed = container("redis", startsAt: t(1000))
        #expect(pipeline.triage(TriageFixtures.resolved(skewed, endsAt: t(900)), host: .host("vps"), now: t(500)).decision == .resolved(duration: 0))
    }

    @Test func aResolvedAlertInsideAFiringGroupResetsTheBudget() throws {
        let body = """
            {"receiver":"jarvis","status":"firing","alerts":[
              {"status":"firing","labels":{"alertname":"ContainerDown","host":"vps","container":"redis"},
               "startsAt":"2026-11-29T03:00:00Z","endsAt":"0001-01-01T00:00:00Z"},
              {"status":"resolved","labels":{"alertname":"ContainerDown","host":"vps","container":"nginx","severity":"warning"},
               "startsAt":"2026-11-29T03:00:00Z","endsAt":"2026-11-29T03:40:00Z"}]}
            """
        let webhook = try AlertmanagerWebhook.decode(Data(body.utf8))
        #expect(webhook.status == .firing)
        var pipeline = TriagePipeline()
        let nginx = container()
        for s in [0.0, 600, 1200] { pipeline.recordAttempt(alertKey: nginx.alertKey, at: t(s)) }
        #expect(pipeline.triage(nginx, host: .host("vps"), now: t(1500)).decision == .escalated(critical: false))
        let outcomes = webhook.alerts.map { pipeline.triage($0, host: .host("vps"), now: t(2400)) }
        #expect(outcomes.map(\.kind) == ["actionable", "resolved"])
        #expect(outcomes[1].decision == .resolved(duration: 2400))
        #expect(pipeline.state.budgets[nginx.alertKey.description] == nil)
        #expect(pipeline.triage(container(startsAt: t(2500)), host: .host("vps"), now: t(2500)).decision == .actionable)
    }

    // MARK: 3. Maintenance

    @Test func hostScopedWindowLeavesOtherHostsActionable() {
        var pipeline = TriagePipeline()
        let windows = [window(7, host: "vps", from: 0, to: 7200)]
        let onVPS = pipeline.triage(container(host: "vps"), host: .host("vps"), windows: windows, now: t(60))
        #expect(onVPS.decision == .suppressedMaintenance(windowID: 7))
        #expect(onVPS.kind == "suppressed:maintenance")
        #expect(onVPS.reason.contains("host vps, by alice: kernel update"))
        let onNAS = pipeline.triage(container(host: "nas"), host: .host("nas"), windows: windows, now: t(60))
        #expect(onNAS.decision == .actionable)
        #expect(onNAS.maintenanceWindowHit == nil)
    }

    @Test func globalWindowSuppressesEveryHostAndUnroutableAlerts() {
        var pipeline = TriagePipeline()
        let windows = [window(9, host: nil, from: 0)]
        #expect(
            pipeline.triage(container(host: "vps"), host: .host("vps"), windows: windows, now: t(1)).decision == .suppressedMaintenance(windowID: 9))
        #expect(
            pipeline.triage(container(host: "nas"), host: .host("nas"), windows: windows, now: t(1)).decision == .suppressedMaintenance(windowID: 9))
        let orphan = TriageFixtures.alert("Mystery")
        let outcome = pipeline.triage(orphan, host: .unroutable(reason: "no host label"), windows: windows, now: t(1))
        #expect(outcome.decision == .suppressedMaintenance(windowID: 9))
        #expect(outcome.reason.contains("all hosts"))
    }

    @Test func anExpiredWindowDoesNotSuppress() {
        var pipeline = TriagePipeline()
        let windows = [window(1, host: "vps", from: 0, to: 3600), window(2, host: nil, from: 0, endedAt: 1800)]
        #expect(pipeline.triage(container(), host: .host("vps"), windows: windows, now: t(3600)).decision == .actionable)
    }

    @Test func aWindowNotYetStartedDoesNotSuppress() {
        var pipeline = TriagePipeline()
        let windows = [window(1, host: "vps", from: 600, to: 3600)]
        #expect(pipeline.triage(container(), host: .host("vps"), windows: windows, now: t(599)).decision == .actionable)
    }

    @Test func eachSuppressedAlertIncrementsTheWindowCounterOnce() {
        var pipeline = TriagePipeline()
        var schedule = MaintenanceSchedule([window(3, host: "vps", from: 0), window(4, host: "nas", from: 0)])
        let alerts = [container("a"), container("b"), container("c"), container("a"), container("d", host: "nas")]
        for alert in alerts {
            let outcome = pipeline.triage(alert, host: .host(alert.labels["host"] ?? ""), windows: schedule.windows, now: t(10))
            if let id = outcome.maintenanceWindowHit { schedule.recordSuppression(inWindow: id) }
        }
        // The second "a" is a duplicate: recorded as deduplicated, not counted.
        #expect(schedule.windows.map(\.suppressedCount) == [3, 1])
    }

    @Test func aWindowThatEndedReEvaluatesItsParkedAlerts() {
        var pipeline = TriagePipeline()
        let open = window(5, host: "vps", from: 0, to: 600)
        let parkedOutcome = pipeline.triage(container(), host: .host("vps"), windows: [open], now: t(500))
        #expect(parkedOutcome.parked)
        #expect(pipeline.state.parked.count == 1)
        // Still active: nothing to re-evaluate.
        #expect(pipeline.reevaluateParked(windows: [open], now: t(599)).isEmpty)
        // Next run, after the window's end and within the dedup cooldown of the parking.
        let again = pipeline.reevaluateParked(windows: [open], now: t(700))
        #expect(again == [container()])
        #expect(pipeline.state.parked.isEmpty)
        let outcome = pipeline.triage(container(), host: .host("vps"), windows: [open], now: t(700))
        #expect(outcome.decision == .actionable)
        // A later resend within the cooldown of the original notification is a duplicate again.
        #expect(pipeline.triage(container(), host: .host("vps"), windows: [open], now: t(750)).decision == .deduplicated)
    }

    @Test func aWindowEndedByHandOrDeletedReleasesItsParkedAlerts() {
        var pipeline = TriagePipeline()
        _ = pipeline.triage(container("a"), host: .host("vps"), windows: [window(1, host: "vps", from: 0)], now: t(10))
        _ = pipeline.triage(container("b"), host: .host("vps"), windows: [window(2, host: "vps", from: 0)], now: t(20))
        let released = pipeline.reevaluateParked(windows: [window(1, host: "vps", from: 0, endedAt: 30)], now: t(40))
        #expect(released.map { $0.labels["container"] } == ["a", "b"])
    }

    @Test func reEvaluatedAlertStillInAnotherWindowIsParkedAgain() {
        var pipeline = TriagePipeline()
        _ = pipeline.triage(container(), host: .host("vps"), windows: [window(1, host: "vps", from: 0, to: 100)], now: t(10))
        let windows = [window(1, host: "vps", from: 0, to: 100), window(2, host: nil, from: 50)]
        let again = pipeline.reevaluateParked(windows: windows, now: t(120))
        #expect(again.count == 1)
        let outcome = pipeline.triage(container(), host: .host("vps"), windows: windows, now: t(120))
        #expect(outcome.decision == .suppressedMaintenance(windowID: 2))
        #expect(pipeline.state.parked.values.first?.parkedAt == t(120))
        #expect(pipeline.state.parked.values.first?.lastSeenAt == t(10))
    }

    @Test func aParkedAlertThatResolvesIsNotReEvaluated() {
        var pipeline = TriagePipeline()
        let w = window(1, host: "vps", from: 0, to: 100)
        _ = pipeline.triage(container(), host: .host("vps"), windows: [w], now: t(10))
        #expect(pipeline.triage(TriageFixtures.resolved(container(), endsAt: t(50)), host: .host("vps"), windows: [w], now: t(60)).kind == "resolved")
        #expect(pipeline.reevaluateParked(windows: [w], now: t(200)).isEmpty)
    }

    // MARK: 4. Host offline

    @Test func alertsForAnOfflineHostAreSkippedWithSince() {
        var pipeline = TriagePipeline()
        let hosts = ["vps": HostAvailability.offline(since: t(-600)), "nas": .online]
        let outcome = pipeline.triage(container(), host: .host("vps"), hosts: hosts, now: t(0))
        #expect(outcome.decision == .suppressedHostOffline(host: "vps", since: t(-600)))
        #expect(outcome.kind == "suppressed:host-offline")
        #expect(outcome.reason == "skipped: host vps offline since 2026-11-29T02:50:00Z")
        #expect(pipeline.triage(container(host: "nas"), host: .host("nas"), hosts: hosts, now: t(0)).decision == .actionable)
        #expect(pipeline.triage(container(host: "nuc"), host: .host("nuc"), hosts: hosts, now: t(0)).decision == .actionable)
    }

    @Test func anOfflineParentHostSkipsItsChildrensAlerts() {
        var pipeline = TriagePipeline(graph: CascadeGraph(hostParents: ["vm1": ["hypervisor"], "hypervisor": ["rack"]]))
        let hosts = ["rack": HostAvailability.offline(since: t(-60))]
        let outcome = pipeline.triage(container(host: "vm1"), host: .host("vm1"), hosts: hosts, now: t(0))
        #expect(outcome.decision == .suppressedHostOffline(host: "rack", since: t(-60)))
        #expect(outcome.reason.contains("a parent of vm1"))
    }

    // MARK: Order of the rules

    @Test func maintenanceComesBeforeCascade() {
        var pipeline = TriagePipeline(graph: CascadeGraph(configuration: .specExample))
        let sample = TriageFixtures.vpnCascade
        _ = pipeline.triage(sample.vpn, host: .host("outpost"), now: t(0))
        let outcome = pipeline.triage(sample.vpsHostDown, host: .host("vps"), windows: [window(1, host: "vps", from: 0)], now: t(10))
        #expect(outcome.decision == .suppressedMaintenance(windowID: 1))
    }

    @Test func maintenanceComesBeforeHostOffline() {
        var pipeline = TriagePipeline()
        let outcome = pipeline.triage(
            container(), host: .host("vps"), hosts: ["vps": .offline(since: nil)], windows: [window(1, host: nil, from: 0)], now: t(10))
        #expect(outcome.decision == .suppressedMaintenance(windowID: 1))
    }

    @Test func hostOfflineComesBeforeCascade() {
        var pipeline = TriagePipeline(graph: CascadeGraph(configuration: .specExample))
        _ = pipeline.triage(TriageFixtures.vpnCascade.vpsHostDown, host: .host("vps"), now: t(0))
        let outcome = pipeline.triage(container(), host: .host("vps"), hosts: ["vps": .offline(since: t(-5))], now: t(10))
        #expect(outcome.decision == .suppressedHostOffline(host: "vps", since: t(-5)))
    }

    @Test func cascadeComesBeforeFlapping() {
        var pipeline = TriagePipeline(graph: CascadeGraph(configuration: .specExample))
        flap(&pipeline, container(), times: 8)
        #expect(pipeline.state.flapDetectors[container().alertKey.description]?.isFlapping == true)
        _ = pipeline.triage(TriageFixtures.vpnCascade.vpsHostDown, host: .host("vps"), now: t(100_000))
        let outcome = pipeline.triage(container(startsAt: t(100_001)), host: .host("vps"), now: t(100_001))
        #expect(outcome.kind == "suppressed:cascade")
    }

    @Test func flappingComesBeforeTheBudget() {
        var pipeline = TriagePipeline()
        flap(&pipeline, container(), times: 8)
        for s in [90_000.0, 90_100, 90_200] { pipeline.recordAttempt(alertKey: container().alertKey, at: t(s)) }
        let outcome = pipeline.triage(container(startsAt: t(90_300)), host: .host("vps"), now: t(90_300))
        #expect(outcome.decision == .heldFlapping)
        #expect(outcome.escalation == nil)
    }

    @Test func dedupComesFirstEvenInMaintenance() {
        var pipeline = TriagePipeline()
        let windows = [window(1, host: nil, from: 0)]
        #expect(pipeline.triage(container(), host: .host("vps"), windows: windows, now: t(0)).maintenanceWindowHit == 1)
        let duplicate = pipeline.triage(container(), host: .host("vps"), windows: windows, now: t(1))
        #expect(duplicate.decision == .deduplicated)
        #expect(duplicate.maintenanceWindowHit == nil)
    }

    @Test func resolvedIsNeverSuppressed() {
        var pipeline = TriagePipeline()
        let outcome = pipeline.triage(
            TriageFixtures.resolved(container(), endsAt: t(5)), host: .host("vps"), hosts: ["vps": .offline(since: nil)],
            windows: [window(1, host: nil, from: 0)], now: t(10))
        #expect(outcome.decision == .resolved(duration: 5))
    }

    @Test func unroutableAlertsAreRecordedAsSuchWhenNothingElseHoldsThem() {
        var pipeline = TriagePipeline()
        let outcome = pipeline.triage(TriageFixtures.alert("Mystery"), host: .unroutable(reason: "no host matches system=\"nas\""), now: t(0))
        #expect(outcome.decision == .unroutable(reason: "no host matches system=\"nas\""))
        #expect(outcome.kind == "unroutable")
        #expect(outcome.reason == "unroutable: no host matches system=\"nas\"")
    }

    // MARK: 6. Flapping

    /// `times` notifications alternating firing and resolved, new occurrence each firing,
    /// every 400 s (past the dedup cooldown).
    func flap(_ pipeline: inout TriagePipeline, _ alert: Alert, times: Int, from start: Double = 0) {
        for i in 0..<times {
            let s = start + Double(i) * 400
            let episode = container(alert.labels["container"] ?? "", startsAt: t(s - Double(i % 2) * 400))
            let notification = i % 2 == 0 ? episode : TriageFixtures.resolved(episode, endsAt: t(s))
            _ = pipeline.triage(notification, host: .host("vps"), now: t(s))
        }
    }

    @Test func aFlappingKeyIsHeldAndReportedOnce() {
        var pipeline = TriagePipeline()
        var outcomes: [TriageOutcome] = []
        for i in 0..<12 {
            let s = Double(i) * 400
            let episode = container(startsAt: t(s - Double(i % 2) * 400))
            let notification = i % 2 == 0 ? episode : TriageFixtures.resolved(episode, endsAt: t(s))
            outcomes.append(pipeline.triage(notification, host: .host("vps"), now: t(s)))
        }
        let reports = outcomes.compactMap(\.flapReport)
        #expect(reports.count == 1)
        #expect(reports.first?.verdict == .startedFlapping)
        #expect(outcomes[5].flapReport?.verdict == .startedFlapping)
        #expect(outcomes[5].kind == "resolved")
        #expect(outcomes[6].decision == .heldFlapping)
        #expect(outcomes[6].reason.contains("ContainerDown/vps:nginx is flapping"))
        #expect(outcomes[8].decision == .heldFlapping)
        #expect(outcomes[0].decision == .actionable && outcomes[2].decision == .actionable && outcomes[4].decision == .actionable)
    }
}
