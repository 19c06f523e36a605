import JarvisCore
import JarvisTestSupport
import Testing

@Suite struct TriageMaintenanceTests {
    let t = TriageFixtures.at

    func window(_ id: Int64, host: String?, from start: Double, to end: Double? = nil, endedAt: Double? = nil) -> MaintenanceWindow {
        MaintenanceWindow(
            id: id, host: host, reason: "patching", author: "ops", startsAt: t(start), endsAt: end.map(t), endedAt: endedAt.map(t))
    }

    @Test func windowIsActiveFromItsStartUntilJustBeforeItsEnd() {
        let w = window(1, host: "vps", from: 0, to: 3600)
        #expect(!w.isActive(at: t(-1)))
        #expect(w.isActive(at: t(0)))
        #expect(w.isActive(at: t(3599.999)))
        #expect(!w.isActive(at: t(3600)))
        #expect(w.hasEnded(by: t(3600)))
        #expect(!w.hasEnded(by: t(3599)))
    }

    @Test func openEndedWindowStaysActiveUntilEndedByHand() {
        let open = window(1, host: nil, from: 0)
        #expect(open.effectiveEnd == nil)
        #expect(open.isActive(at: t(365 * 86_400)))
        let ended = window(1, host: nil, from: 0, endedAt: 600)
        #expect(ended.isActive(at: t(599)))
        #expect(!ended.isActive(at: t(600)))
    }

    @Test func endingByHandBeforeThePlannedEndWins() {
        let w = window(1, host: "vps", from: 0, to: 7200, endedAt: 1800)
        #expect(w.effectiveEnd == t(1800))
        #expect(!w.isActive(at: t(1800)))
        #expect(w.duration(upTo: t(9000)) == 1800)
        #expect(w.duration(upTo: t(600)) == 600)
        #expect(w.duration(upTo: t(-10)) == 0)
    }

    @Test func hostScopedWindowCoversOnlyItsHostAndGlobalCoversAll() {
        let scoped = window(1, host: "vps", from: 0, to: 3600)
        let global = window(2, host: nil, from: 0, to: 3600)
        #expect(scoped.covers(host: "vps", at: t(10)))
        #expect(!scoped.covers(host: "nas", at: t(10)))
        #expect(!scoped.covers(host: nil, at: t(10)))
        #expect(global.covers(host: "vps", at: t(10)))
        #expect(global.covers(host: "nas", at: t(10)))
        #expect(global.covers(host: nil, at: t(10)))
        #expect(!global.covers(host: "nas", at: t(3600)))
    }

    @Test func hostScopedWindowWinsOverGlobalWhateverTheOrder() {
        let global = window(1, host: nil, from: 0, to: 3600)
        let scoped = window(2, host: "vps", from: 100, to: 3600)
        for windows in [[global, scoped], [scoped, global]] {
            let schedule = MaintenanceSchedule(windows)
            #expect(schedule.window(covering: "vps", at: t(200))?.id == 2)
            #expect(schedule.window(covering: "nas", at: t(200))?.id == 1)
            #expect(schedule.window(covering: "vps", at: t(50))?.id == 1)
        }
    }

    @Test func amongSeveralWindowsTheEarliestThenLowestIdWins() {
        let a = window(7, host: "vps", from: 10, to: 3600)
        let b = window(3, host: "vps", from: 10, to: 3600)
        let c = window(1, host: "vps", from: 20, to: 3600)
        for windows in [[a, b, c], [c, b, a], [b, c, a]] {
            #expect(MaintenanceSchedule(windows).window(covering: "vps", at: t(30))?.id == 3)
            #expect(MaintenanceSchedule(windows).active(at: t(30)).map(\.id) == [3, 7, 1])
        }
    }

    @Test func noWindowCoversOnceAllHaveEnded() {
        let schedule = MaintenanceSchedule([window(1, host: nil, from: 0, to: 60), window(2, host: "vps", from: 0, endedAt: 30)])
        #expect(schedule.window(covering: "vps", at: t(60)) == nil)
        #expect(schedule.active(at: t(60)).isEmpty)
    }

    @Test func windowsThatEndedBetweenTwoRunsAreListedOnce() {
        let schedule = MaintenanceSchedule([
            window(1, host: "vps", from: 0, to: 600),
            window(2, host: nil, from: 0, endedAt: 900),
            window(3, host: "nas", from: 0, to: 1200),
            window(4, host: "nas", from: 0),
        ])
        #expect(schedule.ended(after: t(0), through: t(600)).map(\.id) == [1])
        #expect(schedule.ended(after: t(600), through: t(1200)).map(\.id) == [2, 3])
        #expect(schedule.ended(after: t(1200), through: t(99_999)).isEmpty)
    }

    @Test func windowsThatStartedBetweenTwoRunsAreListed() {
        let schedule = MaintenanceSchedule([window(1, host: "vps", from: 0, to: 600), window(2, host: nil, from: 300)])
        #expect(schedule.started(after: t(-1), through: t(0)).map(\.id) == [1])
        #expect(schedule.started(after: t(0), through: t(300)).map(\.id) == [2])
    }

    @Test func recordingASuppressionIncrementsTheWindowCounter() {
        var schedule = MaintenanceSchedule([window(1, host: "vps", from: 0), window(2, host: nil, from: 0)])
        let first = schedule.recordSuppression(inWindow: 2)
        let second = schedule.recordSuppression(inWindow: 2)
        let unknown = schedule.recordSuppression(inWindow: 99)
        #expect(first && second)
        #expect(!unknown)
        #expect(schedule.windows.map(\.suppressedCount) == [0, 2])
    }
}
