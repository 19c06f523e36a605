import Foundation
import JarvisCore
import Testing

@Suite struct ActionBudgetPolicyTests {
    private let budget = ActionBudget()
    private let now = Timestamp(seconds: 1_800_000_000)

    /// `count` actions, one every `spacing` seconds, the last one `endingAgo` seconds before `now`.
    private func actions(_ count: Int, spacing: Double = 60, endingAgo: Double = 0) -> [Timestamp] {
        (0..<count).map { now.adding(seconds: -endingAgo - Double($0) * spacing) }
    }

    @Test func theDefaultsAreTheSpecs() {
        #expect(budget.perHostConcurrency == 1)
        #expect(budget.globalLimit == 20)
        #expect(budget.window == 3600)
    }

    @Test func aQuietHostMayAct() {
        #expect(budget.check(host: "vps", hostsInFlight: [], recentActions: [], now: now) == .allowed)
    }

    @Test func oneActionAtATimePerHost() {
        let busy = budget.check(host: "vps", hostsInFlight: ["vps"], recentActions: [], now: now)
        #expect(busy == .hostBusy(host: "vps", inFlight: 1, limit: 1))
        #expect(busy.reason?.contains("vps") == true)
        #expect(budget.check(host: "skynet", hostsInFlight: ["vps"], recentActions: [], now: now).isAllowed)
        let two = ActionBudget(perHostConcurrency: 2)
        #expect(two.check(host: "vps", inFlight: ["vps": 1], recentActions: [], now: now).isAllowed)
        #expect(!two.check(host: "vps", inFlight: ["vps": 2], recentActions: [], now: now).isAllowed)
    }

    @Test func nineteenActionsInTheLastHourLeaveRoomForOneMore() {
        #expect(budget.check(host: "vps", hostsInFlight: [], recentActions: actions(19), now: now).isAllowed)
    }

    @Test func twentyActionsInTheLastHourStopTheTwentyFirstUntilTheOldestLeavesTheWindow() {
        let recent = actions(20, spacing: 120)  // the oldest was 38 min ago
        let verdict = budget.check(host: "vps", hostsInFlight: [], recentActions: recent, now: now)
        let oldest = now.adding(seconds: -19 * 120)
        #expect(verdict == .rateLimited(count: 20, limit: 20, nextSlotAt: oldest.adding(seconds: 3600)))
        #expect(verdict.reason?.contains("limit 20") == true)
        // Just before the oldest leaves the window: still limited. Just after: allowed.
        let before = oldest.adding(seconds: 3599)
        #expect(!budget.check(host: "vps", hostsInFlight: [], recentActions: recent, now: before).isAllowed)
        let after = oldest.adding(seconds: 3600)
        #expect(budget.check(host: "vps", hostsInFlight: [], recentActions: recent, now: after).isAllowed)
    }

    @Test func theWindowRollsRatherThanResettingOnTheHour() {
        // 20 actions between 70 and 51 minutes ago: 11 are an hour old or older, 9 still count.
        let recent = actions(20, spacing: 60, endingAgo: 51 * 60)
        #expect(budget.check(host: "vps", hostsInFlight: [], recentActions: recent, now: now).isAllowed)
        // Add 11 recent ones: 20 in the window again.
        let verdict = budget.check(host: "vps", hostsInFlight: [], recentActions: recent + actions(11), now: now)
        guard case .rateLimited(let count, _, let nextSlotAt) = verdict else {
            Issue.record("expected rateLimited, got \(verdict)")
            return
        }
        #expect(count == 20)
        // The oldest one still inside (59 minutes ago) frees the slot when it leaves.
        #expect(nextSlotAt == now.adding(seconds: -59 * 60 + 3600))
    }

    @Test func moreThanTheLimitWaitsForEnoughToExpire() {
        // 22 actions in the window: 3 must leave before one more may start.
        let recent = actions(22, spacing: 60)
        let verdict = budget.check(host: "vps", hostsInFlight: [], recentActions: recent.shuffled(), now: now)
        #expect(verdict == .rateLimited(count: 22, limit: 20, nextSlotAt: now.adding(seconds: -19 * 60 + 3600)))
    }

    @Test func actionsStampedInTheFutureCount() {
        let skewed = (0..<20).map { now.adding(seconds: Double($0 + 1)) }
        #expect(!budget.check(host: "vps", hostsInFlight: [], recentActions: skewed, now: now).isAllowed)
    }

    @Test func aBusyHostIsReportedBeforeTheGlobalLimit() {
        #expect(
            budget.check(host: "vps", hostsInFlight: ["vps"], recentActions: actions(25), now: now) == .hostBusy(host: "vps", inFlight: 1, limit: 1))
    }
}
