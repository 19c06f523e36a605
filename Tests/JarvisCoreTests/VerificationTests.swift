import JarvisCore
import JarvisTestSupport
import Testing

@Suite struct VerificationTests {
    let t = TriageFixtures.at
    let rule = VerificationRule()

    @Test func aResolveWithinTheWindowVerifiesEvenBeforeTheWindowIsOver() {
        #expect(rule.evaluate(attemptAt: t(0), evidence: .init(resolvedAt: t(120)), now: t(130)) == .verified)
        #expect(rule.evaluate(attemptAt: t(0), evidence: .init(resolvedAt: t(600)), now: t(5000)) == .verified)
    }

    @Test func noSignalInsideTheWindowIsPending() {
        #expect(rule.evaluate(attemptAt: t(0), evidence: .init(), now: t(599)) == .pending)
        #expect(rule.evaluate(attemptAt: t(0), evidence: .init(), now: t(600)) == .pending)
    }

    @Test func stillFiringAfterTheWindowFails() {
        #expect(rule.evaluate(attemptAt: t(0), evidence: .init(), now: t(601)) == .failed)
        #expect(rule.evaluate(attemptAt: t(0), evidence: .init(resolvedNotificationsExpected: false, prometheus: .stillFiring), now: t(601)) == .failed)
    }

    @Test func aResolveTooLateOrBeforeTheAttemptDoesNotCredit() {
        #expect(rule.evaluate(attemptAt: t(0), evidence: .init(resolvedAt: t(601)), now: t(700)) == .failed)
        #expect(rule.evaluate(attemptAt: t(100), evidence: .init(resolvedAt: t(50)), now: t(800)) == .failed)
    }

    @Test func noPossibleSignalIsUnverified() {
        let blind = VerificationEvidence(resolvedNotificationsExpected: false, prometheus: .unreachable)
        #expect(rule.evaluate(attemptAt: t(0), evidence: blind, now: t(300)) == .pending)
        #expect(rule.evaluate(attemptAt: t(0), evidence: blind, now: t(601)) == .unverified)
        #expect(rule.evaluate(attemptAt: t(0), evidence: .init(resolvedNotificationsExpected: false), now: t(601)) == .unverified)
    }

    @Test func aPassingPrometheusCheckVerifiesSooner() {
        #expect(rule.evaluate(attemptAt: t(0), evidence: .init(prometheus: .passed), now: t(30)) == .verified)
    }
}
