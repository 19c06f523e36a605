import Foundation
import JarvisTestSupport
import Testing

@testable import JarvisCore

@Suite struct TriageFlapDetectorTests {
    /// "FRRF…" → statuses, F = firing, R = resolved.
    func states(_ pattern: String) -> [AlertStatus] {
        pattern.map { $0 == "F" ? AlertStatus.firing : .resolved }
    }

    /// Feeds `pattern` one state per minute and returns the verdicts.
    func feed(_ detector: inout FlapDetector, _ pattern: String, from start: Double = 0) -> [FlapVerdict] {
        states(pattern).enumerated().map { index, status in
            detector.record(status: status, at: TriageFixtures.at(start + Double(index) * 60))
        }
    }

    @Test func handComputedPercentForChangesInTheOldestMiddleAndNewestSlots() {
        // 20 states, changes at transitions 1, 10 and 19 → slots 0, 9, 18 with weights
        // 0.8, 1.0 and 1.2: (0.8 + 1.0 + 1.2) / 19 = 15.789… %.
        let percent = FlapDetector.percentStateChange(of: states("FRRRRRRRRRFFFFFFFFFR"), window: 20)
        #expect(abs(percent - 300.0 / 19.0) < 1e-9)
        #expect(abs(percent - 15.789_473_684) < 1e-6)
    }

    @Test func shortHistoriesFillTheNewestSlots() {
        // F R F: two changes in slots 17 and 18: (0.8 + 0.4·17/18 + 1.2) / 19 = 12.5146… %.
        let percent = FlapDetector.percentStateChange(of: states("FRF"), window: 20)
        #expect(abs(percent - (0.8 + 0.4 * 17 / 18 + 1.2) * 100 / 19) < 1e-9)
        #expect(abs(percent - 12.514_619_883) < 1e-6)
        #expect(FlapDetector.percentStateChange(of: states("F"), window: 20) == 0)
        #expect(FlapDetector.percentStateChange(of: [], window: 20) == 0)
    }

    @Test func everyStateChangingScoresOneHundredAndNoChangeScoresZero() {
        #expect(abs(FlapDetector.percentStateChange(of: states("FRFRFRFRFRFRFRFRFRFR"), window: 20) - 100) < 1e-9)
        #expect(FlapDetector.percentStateChange(of: states("FFFFFFFFFFFFFFFFFFFF"), window: 20) == 0)
    }

    @Test func onlyTheNewestWindowOfStatesCounts() {
        // 10 old changes then 20 steady states: nothing left in the window.
        #expect(FlapDetector.percentStateChange(of: states("FRFRFRFRFR" + String(repeating: "R", count: 20)), window: 20) == 0)
    }

    @Test func alternatingStatesStartFlappingOnceAtTheSixthState() {
        var detector = FlapDetector()
        let verdicts = feed(&detector, "FRFRFRFRFRFRFRFRFRFR")
        // 4 changes: 24.56 %; 5 changes: 30.41 % > 30.
        #expect(Array(verdicts.prefix(5)) == Array(repeating: .stable, count: 5))
        #expect(verdicts[5] == .startedFlapping)
        #expect(verdicts.filter { $0 == .startedFlapping }.count == 1)
        #expect(verdicts.dropFirst(6).allSatisfy { $0 == .flapping })
        #expect(detector.isFlapping)
        #expect(detector.flappingSince == TriageFixtures.at(5 * 60))
    }

    @Test func steadyStatesStopFlappingOnceBelowTheLowThreshold() {
        var detector = FlapDetector()
        _ = feed(&detector, "FRFRFRFRFRFRFRFRFRFR")
        let verdicts = feed(&detector, String(repeating: "R", count: 20), from: 1200)
        // After 13 steady states 27.02 % (between the thresholds: still flapping), after 14
        // 22.22 % < 25: released.
        #expect(Array(verdicts.prefix(13)) == Array(repeating: .flapping, count: 13))
        #expect(verdicts[13] == .stoppedFlapping)
        #expect(verdicts.filter { $0 == .stoppedFlapping }.count == 1)
        #expect(verdicts.dropFirst(14).allSatisfy { $0 == .stable })
        #expect(!detector.isFlapping)
        #expect(detector.flappingSince == nil)
    }

    @Test func hysteresisKeepsAFlappingKeyFlappingBetweenTheThresholds() {
        var detector = FlapDetector()
        _ = feed(&detector, "FRFRFRFRFRFRFRFRFRFR")
        _ = feed(&detector, String(repeating: "R", count: 13), from: 1200)
        #expect(detector.percentStateChange > 25 && detector.percentStateChange < 30)
        #expect(detector.isFlapping)
    }

    @Test func hysteresisKeepsAStableKeyStableBetweenTheThresholds() {
        var detector = FlapDetector()
        // Changes every fourth transition (slots 2, 6, 10, 14, 18): 26.90 %, never above 30.
        let verdicts = feed(&detector, "FFFRRRRFFFFRRRRFFFFR")
        let slots: [Double] = [2, 6, 10, 14, 18]
        let weights: [Double] = slots.map { (slot: Double) -> Double in 0.8 + 0.4 * slot / 18 }
        let expected: Double = weights.reduce(0, +) * 100 / 19
        #expect(abs(detector.percentStateChange - expected) < 1e-9)
        #expect(detector.percentStateChange > 25 && detector.percentStateChange < 30)
        #expect(verdicts.allSatisfy { $0 == .stable })
        #expect(!detector.isFlapping)
    }

    @Test func thresholdsAndWindowAreConfigurable() {
        var detector = FlapDetector()
        let tight = FlapThresholds(window: 4, high: 50, low: 10)
        #expect(detector.record(status: .firing, at: TriageFixtures.at(0), thresholds: tight) == .stable)
        #expect(detector.record(status: .resolved, at: TriageFixtures.at(1), thresholds: tight) == .stable)
        // Window 4: 3 slots weighted 0.8, 1.0, 1.2; two changes in slots 1 and 2: 73.3 %.
        #expect(detector.record(status: .firing, at: TriageFixtures.at(2), thresholds: tight) == .startedFlapping)
        #expect(abs(detector.percentStateChange - 220.0 / 3.0) < 1e-9)
        #expect(detector.states.count == 3)
    }

    @Test func historyStaysBoundedByTheWindow() {
        var detector = FlapDetector()
        _ = feed(&detector, String(repeating: "FR", count: 100))
        #expect(detector.states.count == 20)
        #expect(detector.lastRecordedAt == TriageFixtures.at(199 * 60))
    }

    @Test func detectorRoundTripsThroughJSON() throws {
        var detector = FlapDetector()
        _ = feed(&detector, "FRFRFRF")
        let data = try JSONEncoder().encode(detector)
        let decoded = try JSONDecoder().decode(FlapDetector.self, from: data)
        #expect(decoded == detector)
    }
}
