import Foundation
import JarvisCore
import Testing

@Suite struct HostStateMachineTests {
    let t0 = Timestamp(seconds: 1_800_000_000)

    @Test func threeConsecutiveFailuresMakeTheHostOfflineWithExactlyOneTransition() {
        var machine = HostStateMachine(host: "db1")
        _ = machine.attemptSucceeded(at: t0)
        var transitions: [HostTransition] = []
        for i in 1...5 {
            if let transition = machine.attemptFailed(at: t0.adding(seconds: Double(i)), error: "connect timeout") {
                transitions.append(transition)
            }
        }
        #expect(
            transitions == [
                HostTransition(
                    host: "db1", from: .online, to: .offline, at: t0.adding(seconds: 3), error: "connect timeout", consecutiveFailures: 3,
                    lastSuccessAt: t0)
            ])
        #expect(machine.state == .offline)
        #expect(machine.status.consecutiveFailures == 5)
        #expect(machine.status.since == t0.adding(seconds: 3))
    }

    @Test func aSuccessInBetweenResetsTheCount() {
        var machine = HostStateMachine(host: "h")
        let r1 = machine.attemptFailed(at: t0, error: "e")
        #expect(r1 == nil)
        let r2 = machine.attemptFailed(at: t0, error: "e")
        #expect(r2 == nil)
        let r3 = machine.attemptSucceeded(at: t0)
        #expect(r3 == nil)
        let r4 = machine.attemptFailed(at: t0, error: "e")
        #expect(r4 == nil)
        let r5 = machine.attemptFailed(at: t0, error: "e")
        #expect(r5 == nil)
        #expect(machine.state == .online)
        #expect(machine.status.consecutiveFailures == 2)
    }

    @Test func offlineAnsweringAProbeGoesCheckingThenOnlineOnTheNextSession() throws {
        var machine = HostStateMachine(status: HostStatus(host: "h", state: .offline, consecutiveFailures: 3, lastCheckedAt: t0))
        let later = t0.adding(seconds: 300)
        let r9 = machine.probeAnswered(at: later)
        let checking = try #require(r9)
        #expect((checking.from, checking.to) == (.offline, .checking))
        let r6 = machine.probeAnswered(at: later)
        #expect(r6 == nil)
        let r10 = machine.attemptSucceeded(at: later.adding(seconds: 1))
        let online = try #require(r10)
        #expect((online.from, online.to) == (.checking, .online))
        #expect(online.consecutiveFailures == 0)
        #expect(online.lastSuccessAt == later.adding(seconds: 1))
        #expect(machine.status.lastError == nil)
    }

    @Test func checkingThatFailsGoesBackOfflineAtOnce() throws {
        var machine = HostStateMachine(status: HostStatus(host: "h", state: .checking, consecutiveFailures: 3))
        let r11 = machine.record(.failed(error: "auth failed"), at: t0)
        let transition = try #require(r11)
        #expect((transition.from, transition.to, transition.error) == (.checking, .offline, "auth failed"))
        #expect(transition.consecutiveFailures == 4)
    }

    @Test func offlineHostsAreNotReprobedWithinTheRecheckInterval() {
        var machine = HostStateMachine(host: "h")
        for _ in 1...3 { _ = machine.probeFailed(at: t0, error: "refused") }
        #expect(machine.state == .offline)
        #expect(!machine.shouldProbe(at: t0.adding(seconds: 1)))
        #expect(!machine.shouldProbe(at: t0.adding(seconds: 299.9)))
        #expect(machine.shouldProbe(at: t0.adding(seconds: 300)))
        // A failed re-probe restarts the interval.
        let r7 = machine.probeFailed(at: t0.adding(seconds: 300), error: "refused")
        #expect(r7 == nil)
        #expect(!machine.shouldProbe(at: t0.adding(seconds: 500)))
        #expect(machine.shouldProbe(at: t0.adding(seconds: 600)))
    }

    @Test func onlineAndCheckingHostsAreAlwaysProbed() {
        #expect(HostStateMachine(host: "h").shouldProbe(at: t0))
        let checking = HostStateMachine(status: HostStatus(host: "h", state: .checking, lastCheckedAt: t0))
        #expect(checking.shouldProbe(at: t0))
    }

    @Test func thresholdsAreInjected() {
        var machine = HostStateMachine(host: "h", thresholds: .init(offlineAfterFailures: 1, recheckInterval: 10))
        let r8 = machine.attemptFailed(at: t0, error: "x")
        #expect(r8?.to == .offline)
        #expect(machine.shouldProbe(at: t0.adding(seconds: 10)))
    }

    @Test func statusSurvivesAJSONRoundTripLikeANewProcess() throws {
        var machine = HostStateMachine(host: "db1")
        _ = machine.attemptSucceeded(at: Timestamp(seconds: 1_800_000_000, nanoseconds: 123_456_789))
        for _ in 1...3 { _ = machine.attemptFailed(at: t0.adding(seconds: 5), error: "connect refused") }
        let data = try JSONEncoder().encode(machine.status)
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.contains("\"state\":\"OFFLINE\""))
        #expect(text.contains("\"consecutive_failures\":3"))
        #expect(text.contains("2027-01-15T08:00:00.123456789Z"))
        let resumed = HostStateMachine(status: try JSONDecoder().decode(HostStatus.self, from: data))
        #expect(resumed == machine)
        #expect(!resumed.shouldProbe(at: t0.adding(seconds: 6)))
    }

    @Test func transitionsEncodeAsLogRows() throws {
        let transition = HostTransition(host: "h", from: .online, to: .offline, at: t0, error: "e", consecutiveFailures: 3, lastSuccessAt: nil)
        let data = try JSONEncoder().encode(transition)
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.contains("\"from_state\":\"ONLINE\""))
        #expect(text.contains("\"to_state\":\"OFFLINE\""))
        #expect(try JSONDecoder().decode(HostTransition.self, from: data) == transition)
    }
}
