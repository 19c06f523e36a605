import Foundation
import JarvisTestSupport
import Testing

@testable import JarvisCore

@Suite struct TriageAttemptBudgetTests {
    let t = TriageFixtures.at

    @Test func threeAttemptsAreAllowedWithinTwoHours() {
        var budget = AttemptBudget()
        #expect(budget.evaluate(at: t(0)) == .allow(remaining: 3))
        #expect(budget.recordAttempt(at: t(0)) == 2)
        #expect(budget.evaluate(at: t(60)) == .allow(remaining: 2))
        #expect(budget.recordAttempt(at: t(600)) == 1)
        #expect(budget.recordAttempt(at: t(1200)) == 0)
        #expect(budget.isSpent(at: t(1200)))
        #expect(budget.attemptsInWindow(at: t(1200)) == 3)
    }

    @Test func fourthEscalatesOnceFifthIsSilent() {
        var budget = AttemptBudget()
        for minute in [0.0, 10, 20] { budget.recordAttempt(at: t(minute * 60)) }
        #expect(budget.evaluate(at: t(1800)) == .escalate)
        #expect(budget.lastEscalationAt == t(1800))
        #expect(budget.evaluate(at: t(2400)) == .silent)
        #expect(budget.evaluate(at: t(1800 + 14_399)) == .silent)
    }

    @Test func staysSilentForTheCooldownEvenWhenTheAttemptWindowFreesUp() {
        var budget = AttemptBudget()
        for s in [0.0, 600, 1200] { budget.recordAttempt(at: t(s)) }
        #expect(budget.evaluate(at: t(1800)) == .escalate)
        // At 9000 s the attempts are past the 2 h window, but the escalation holds for 4 h.
        #expect(!budget.isSpent(at: t(9000)))
        #expect(budget.evaluate(at: t(9000)) == .silent)
    }

    @Test func escalatesAgainAfterTheCooldownWhenTheBudgetIsSpentAgain() {
        var budget = AttemptBudget()
        for s in [0.0, 600, 1200] { budget.recordAttempt(at: t(s)) }
        #expect(budget.evaluate(at: t(1800)) == .escalate)
        // 4 h later: the old attempts are out of the window, so attempts are allowed again.
        #expect(budget.evaluate(at: t(1800 + 14_400)) == .allow(remaining: 3))
        for s in [16_300.0, 16_400, 16_500] { budget.recordAttempt(at: t(s)) }
        #expect(budget.evaluate(at: t(16_600)) == .escalate)
        #expect(budget.evaluate(at: t(16_700)) == .silent)
    }

    @Test func spentAgainWithinTheCooldownStaysSilent() {
        var budget = AttemptBudget()
        for s in [0.0, 600, 1200] { budget.recordAttempt(at: t(s)) }
        #expect(budget.evaluate(at: t(1800)) == .escalate)
        // The old attempts leave the window at 7200 s; three new ones spend it again.
        for s in [9500.0, 9600, 9700] { budget.recordAttempt(at: t(s)) }
        #expect(budget.isSpent(at: t(9800)))
        #expect(budget.evaluate(at: t(9800)) == .silent)
        #expect(budget.evaluate(at: t(1800 + 14_399)) == .silent)
        // Still spent when the cooldown ends (9500 s is within 2 h of 16200 s): escalate again.
        #expect(budget.evaluate(at: t(1800 + 14_400)) == .escalate)
    }

    @Test func attemptsLeaveTheSlidingWindowAfterTwoHours() {
        var budget = AttemptBudget()
        for s in [0.0, 600, 1200] { budget.recordAttempt(at: t(s)) }
        #expect(budget.isSpent(at: t(7199)))
        #expect(budget.remaining(at: t(7200)) == 1)
        #expect(budget.remaining(at: t(8400)) == 3)
        #expect(budget.evaluate(at: t(8400)) == .allow(remaining: 3))
    }

    @Test func resetForgetsAttemptsAndTheCooldown() {
        var budget = AttemptBudget()
        for s in [0.0, 600, 1200] { budget.recordAttempt(at: t(s)) }
        #expect(budget.evaluate(at: t(1800)) == .escalate)
        budget.reset()
        #expect(budget.attempts.isEmpty)
        #expect(budget.lastEscalationAt == nil)
        #expect(budget.evaluate(at: t(1900)) == .allow(remaining: 3))
    }

    @Test func keepsOnlyAsManyAttemptsAsTheLimitAndStaysExact() {
        var budget = AttemptBudget()
        for i in 0..<50 { budget.recordAttempt(at: t(Double(i) * 1000)) }
        #expect(budget.attempts.count == 3)
        #expect(budget.attempts == [t(47_000), t(48_000), t(49_000)])
        #expect(budget.isSpent(at: t(49_000)))
        #expect(budget.remaining(at: t(47_000 + 7200)) == 1)
    }

    @Test func policyIsConfigurable() {
        var budget = AttemptBudget()
        let policy = AttemptPolicy(limit: 1, window: 60, escalationCooldown: 120)
        #expect(budget.recordAttempt(at: t(0), policy: policy) == 0)
        #expect(budget.evaluate(at: t(10), policy: policy) == .escalate)
        #expect(budget.evaluate(at: t(100), policy: policy) == .silent)
        #expect(budget.evaluate(at: t(130), policy: policy) == .allow(remaining: 1))
    }

    @Test func idleBudgetsCanBeDropped() {
        var budget = AttemptBudget()
        #expect(budget.isIdle(at: t(0)))
        budget.recordAttempt(at: t(0))
        #expect(!budget.isIdle(at: t(7199)))
        #expect(budget.isIdle(at: t(7200)))
    }

    @Test func budgetRoundTripsThroughJSON() throws {
        var budget = AttemptBudget()
        for s in [0.0, 600, 1200] { budget.recordAttempt(at: t(s)) }
        _ = budget.evaluate(at: t(1800))
        let decoded = try JSONDecoder().decode(AttemptBudget.self, from: JSONEncoder().encode(budget))
        #expect(decoded == budget)
    }

    // MARK: Through the pipeline

    func container(severity: String, startsAt: Timestamp = TriageFixtures.t0) -> Alert {
        TriageFixtures.alert("ContainerDown", labels: ["host": "vps", "container": "nginx", "severity": severity], startsAt: startsAt)
    }

    @Test func pipelineEscalatesTheFourthTimeOnceThenStaysSilent() throws {
        var pipeline = TriagePipeline()
        let alert = container(severity: "critical")
        #expect(pipeline.triage(alert, host: .host("vps"), now: t(0)).decision == .actionable)
        #expect(pipeline.recordAttempt(alertKey: alert.alertKey, at: t(60)) == 2)
        #expect(pipeline.triage(alert, host: .host("vps"), now: t(400)).decision == .actionable)
        #expect(pipeline.recordAttempt(alertKey: alert.alertKey, at: t(460)) == 1)
        #expect(pipeline.triage(alert, host: .host("vps"), now: t(800)).decision == .actionable)
        #expect(pipeline.recordAttempt(alertKey: alert.alertKey, at: t(860)) == 0)

        let fourth = pipeline.triage(alert, host: .host("vps"), now: t(1200))
        #expect(fourth.decision == .escalated(critical: true))
        #expect(fourth.kind == "escalated")
        let escalation = try #require(fourth.escalation)
        #expect(escalation.mentionsHere == true)
        #expect(escalation.attempts == 3)
        #expect(escalation.alertKey == "ContainerDown/vps:nginx")
        #expect(escalation.at == t(1200))

        let fifth = pipeline.triage(alert, host: .host("vps"), now: t(1600))
        #expect(fifth.decision == .budgetExhausted)
        #expect(fifth.kind == "budget:exhausted")
        #expect(fifth.escalation == nil)
    }

    @Test func warningAlertsEscalateWithoutHere() {
        var pipeline = TriagePipeline()
        let alert = container(severity: "warning")
        for s in [0.0, 60, 120] { pipeline.recordAttempt(alertKey: alert.alertKey, at: t(s)) }
        let outcome = pipeline.triage(alert, host: .host("vps"), now: t(180))
        #expect(outcome.decision == .escalated(critical: false))
        #expect(outcome.escalation?.critical == false)
        #expect(outcome.escalation?.mentionsHere == false)
        #expect(!outcome.reason.contains("@here"))
    }

    @Test func actionableDecisionsDoNotSpendTheBudget() {
        var pipeline = TriagePipeline()
        let alert = container(severity: "critical")
        for i in 0..<10 {
            #expect(pipeline.triage(alert, host: .host("vps"), now: t(Double(i) * 301)).decision == .actionable)
        }
        #expect(pipeline.state.budgets.isEmpty)
    }

    @Test func resolveResetsTheBudgetAndTheEscalationCooldown() {
        var pipeline = TriagePipeline()
        let alert = container(severity: "critical")
        for s in [0.0, 60, 120] { pipeline.recordAttempt(alertKey: alert.alertKey, at: t(s)) }
        #expect(pipeline.triage(alert, host: .host("vps"), now: t(180)).decision == .escalated(critical: true))
        let resolved = pipeline.triage(TriageFixtures.resolved(alert, endsAt: t(200)), host: .host("vps"), now: t(210))
        #expect(resolved.decision == .resolved(duration: 200))
        #expect(resolved.reason.contains("attempt budget and escalation cooldown reset"))
        #expect(pipeline.state.budgets[alert.alertKey.description] == nil)
        // The next occurrence of the same key starts with a fresh budget.
        let next = container(severity: "critical", startsAt: t(300))
        #expect(pipeline.triage(next, host: .host("vps"), now: t(300)).decision == .actionable)
    }
}
