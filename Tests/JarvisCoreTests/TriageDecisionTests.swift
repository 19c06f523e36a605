import Foundation
import JarvisTestSupport
import Testing

@testable import JarvisCore

@Suite struct TriageDecisionTests {
    static let cases: [(TriageDecision, String)] = [
        (.deduplicated, "deduplicated"),
        (.resolved(duration: 90), "resolved"),
        (.suppressedMaintenance(windowID: 3), "suppressed:maintenance"),
        (.suppressedHostOffline(host: "vps", since: TriageFixtures.t0), "suppressed:host-offline"),
        (.suppressedCascade(rootCause: "abc@2026-11-29T03:00:00Z"), "suppressed:cascade"),
        (.heldFlapping, "held:flapping"),
        (.escalated(critical: true), "escalated"),
        (.budgetExhausted, "budget:exhausted"),
        (.unroutable(reason: "no host"), "unroutable"),
        (.actionable, "actionable"),
    ]

    @Test(arguments: cases)
    func everyDecisionHasItsStableKind(_ decision: TriageDecision, _ kind: String) {
        #expect(decision.kind == kind)
        #expect(TriageDecision.allKinds.contains(kind))
        #expect(!decision.reason.isEmpty)
    }

    @Test(arguments: cases)
    func decisionsRoundTripThroughJSON(_ decision: TriageDecision, _ kind: String) throws {
        let decoded = try JSONDecoder().decode(TriageDecision.self, from: JSONEncoder().encode(decision))
        #expect(decoded == decision)
        #expect(decoded.kind == kind)
    }

    @Test func kindsAreDistinctAndInPipelineOrder() {
        #expect(Set(TriageDecision.allKinds).count == 10)
        #expect(Self.cases.map(\.1) == TriageDecision.allKinds)
    }

    @Test func reasonsCarryTheirDetails() {
        #expect(TriageDecision.resolved(duration: 3723).reason == "resolved after 1h2m3s")
        #expect(TriageDecision.suppressedMaintenance(windowID: 12).reason.contains("#12"))
        #expect(
            TriageDecision.suppressedHostOffline(host: "vps", since: TriageFixtures.at(-60)).reason
                == "skipped: host vps offline since 2026-11-29T02:59:00Z")
        #expect(TriageDecision.suppressedHostOffline(host: "vps", since: nil).reason == "skipped: host vps offline")
        #expect(TriageDecision.suppressedCascade(rootCause: "f@t").reason.contains("f@t"))
        #expect(TriageDecision.escalated(critical: true).reason.contains("@here"))
        #expect(!TriageDecision.escalated(critical: false).reason.contains("@here"))
        #expect(TriageDecision.unroutable(reason: "no host matches").reason == "unroutable: no host matches")
    }

    @Test func onlyActionableGoesToRemediation() {
        #expect(Self.cases.filter { $0.0.isActionable }.map(\.1) == ["actionable"])
    }

    @Test func configurationDefaultsAreTheSpecs() {
        let config = TriageConfiguration()
        #expect(config.dedupCooldown == 300)
        #expect(config.rootCauseTTL == 3600)
        #expect(config.flapping == FlapThresholds(window: 20, high: 30, low: 25))
        #expect(config.attempts == AttemptPolicy(limit: 3, window: 7200, escalationCooldown: 14_400))
        #expect(config.problems.isEmpty)
    }

    @Test func impossibleConfigurationIsReported() {
        let config = TriageConfiguration(
            dedupCooldown: -1, rootCauseTTL: 0, flapping: FlapThresholds(window: 1, high: 20, low: 30),
            attempts: AttemptPolicy(limit: 0, window: 0, escalationCooldown: -1), occurrenceRetention: 0, flapHistoryRetention: 0)
        #expect(config.problems.count == 9)
        #expect(config.problems.contains { $0.contains("triage.flapping.low (30.0) must not be above triage.flapping.high (20.0)") })
    }
}
