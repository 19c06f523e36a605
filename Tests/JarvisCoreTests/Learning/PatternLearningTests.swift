import JarvisCore
import Testing

private let t0 = Timestamp(seconds: 1_800_000_000)

private let frigateLabels = ["alertname": "ContainerDown", "container": "frigate", "host": "nvr", "severity": "warning"]

private func outcome(
    _ actions: [ActionProposal], labels: [String: String] = frigateLabels, verified: Bool = true, occurrence: String = "o1", patternID: Int64? = nil,
    key: String = "remediation/1"
) -> SettledOutcome {
    SettledOutcome(
        remediationKey: key, occurrenceKey: occurrence, alertKey: "ContainerDown/nvr", labels: labels, patternID: patternID, tier: 3,
        actions: actions,
        summary: "restart it", verified: verified, at: t0)
}

@Suite struct PatternExtractionTests {
    @Test func aParameterEqualToALabelBecomesABinding() {
        let actions = PatternExtraction.actions(
            from: [ActionProposal(action: "docker.restart", parameters: ["container": "frigate"])], labels: frigateLabels)
        #expect(actions == [ActionProposal(action: "docker.restart", parameters: ["container": "{{labels.container}}"])])
    }

    @Test func aLiteralThatDoesNotComeFromALabelStaysLiteral() {
        let actions = PatternExtraction.actions(
            from: [ActionProposal(action: "journalctl.tail", parameters: ["unit": "frigate-helper.service", "lines": "200"])], labels: frigateLabels)
        #expect(actions[0].parameters == ["unit": "frigate-helper.service", "lines": "200"])
    }

    @Test func theLearnedPatternAppliesToTheNextOccurrenceWithItsOwnLabelValue() {
        let pattern = PatternExtraction.pattern(
            from: [ActionProposal(action: "docker.restart", parameters: ["container": "frigate"])], alert: frigateLabels, summary: "", now: t0)
        let next = Alert(status: .firing, labels: frigateLabels, startsAt: t0.adding(seconds: 3600))
        #expect(pattern.bind(to: next).proposals == [ActionProposal(action: "docker.restart", parameters: ["container": "frigate"])])
        var other = frigateLabels
        other.removeValue(forKey: "container")
        #expect(pattern.bind(to: Alert(status: .firing, labels: other, startsAt: t0)).proposals == nil, "a missing label makes it ineligible")
    }

    @Test func changedCommandsAreANewPatternWhoseStatisticsStartAgain() {
        let restart = [ActionProposal(action: "docker.restart", parameters: ["container": "frigate"])]
        let start = [ActionProposal(action: "docker.start", parameters: ["container": "frigate"])]
        let a = PatternExtraction.pattern(from: restart, alert: frigateLabels, summary: "", now: t0)
        let b = PatternExtraction.pattern(from: start, alert: frigateLabels, summary: "", now: t0)
        #expect(a.key != b.key)
        #expect(a.symptom == b.symptom)
        // The learner: the old pattern does not answer for the new commands; a new one starts at 0.
        var old = a
        old.id = 7
        old.successes = 9
        let target = PatternLearning.target(of: outcome(start, patternID: 7), attributed: old) { $0 == old.key ? old : nil }
        guard case .extracted(let fresh) = target else {
            Issue.record("expected a new pattern, got \(target)")
            return
        }
        #expect(fresh.id == 0 && fresh.successes == 0 && fresh.key == b.key)
    }
}

@Suite struct PatternLearningTests {
    let restart = [ActionProposal(action: "docker.restart", parameters: ["container": "frigate"])]

    @Test func aVerifiedLLMFixIsLearnedWithOneSuccess() {
        let target = PatternLearning.target(of: outcome(restart), attributed: nil) { _ in nil }
        guard case .extracted(let pattern) = target else {
            Issue.record("expected extraction")
            return
        }
        let (after, events) = PatternLearning.apply(pattern, outcome: outcome(restart), now: t0)
        #expect(after.successes == 1 && after.failures == 0 && after.source == .learned)
        #expect(events.map(\.kind) == [.learned])
        #expect(events[0].toTier == .tier3 && events[0].remediationKey == "remediation/1")
    }

    @Test func aFailureOfAPlanNoPatternHoldsTeachesNothing() {
        #expect(PatternLearning.target(of: outcome(restart, verified: false), attributed: nil) { _ in nil } == .none)
    }

    @Test func successesOnDistinctOccurrencesPromoteToTier1AndAFailureDemotes() {
        var pattern = PatternExtraction.pattern(from: restart, alert: frigateLabels, summary: "", now: t0)
        pattern.id = 1
        var kinds: [PatternEvent.Kind] = []
        var tiers: [FixTier] = []
        for n in 1...8 {
            let (after, events) = PatternLearning.apply(pattern, outcome: outcome(restart, occurrence: "o\(n)", key: "r\(n)"), now: t0)
            pattern = after
            kinds += events.map(\.kind)
            tiers.append(pattern.tier(now: t0))
        }
        // (s+1)/(s+2): 3 successes → 0.8 (tier 2); 8 → 0.9 with ≥ 5 (tier 1).
        #expect(tiers == [.tier3, .tier3, .tier2, .tier2, .tier2, .tier2, .tier2, .tier1])
        #expect(kinds == [.promoted, .promoted])
        let (failed, events) = PatternLearning.apply(pattern, outcome: outcome(restart, verified: false, occurrence: "o9", key: "r9"), now: t0)
        #expect(failed.failures == 1)
        #expect(events.map(\.kind) == [.demoted])
        #expect(events[0].fromTier == .tier1 && events[0].toTier == .tier2)
    }

    @Test func theUsedPatternIsCreditedWhenItsBoundCommandsRan() {
        var seed = LearnedPattern(seed: SeedPattern.all.first { $0.alertname == "ContainerDown" }!, id: 2, createdAt: t0)
        seed.successes = 2
        let bound = seed.bind(to: Alert(status: .firing, labels: frigateLabels, startsAt: t0)).proposals!
        #expect(PatternLearning.target(of: outcome(bound, patternID: 2), attributed: seed) { _ in nil } == .used(seed))
    }
}

@Suite struct FailureMemoryTests {
    let restart = #"[{"action":"docker.restart","argv":["docker","restart","web"],"parameters":{"container":"web"}}]"#
    let prune = #"[{"action":"docker.prune","argv":["docker","system","prune"],"parameters":{}}]"#

    @Test func theFailuresOfSeveralRunnersAddUpPerCommandSetInTheOrderTheyFirstFailed() {
        let own = FailedCommandSet.tally([restart])
        let others = FailedCommandSet.tally([prune, restart, "not json", "[]"])
        let combined = FailedCommandSet.combined(own, others)
        #expect(combined.map(\.failures) == [2, 1])
        #expect(combined.map { $0.actions[0].action } == ["docker.restart", "docker.prune"])
        #expect(FailedCommandSet.combined(own, []) == own)
        #expect(FailedCommandSet.combined([], others) == others)
    }
}
