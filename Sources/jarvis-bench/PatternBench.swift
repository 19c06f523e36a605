import Foundation
import JarvisCore
import JarvisTestSupport

/// `jarvis-bench patterns [N]`: choosing a fix among N patterns (default 10,000; 1,000 share the
/// alertname of the alerts), through the index, against the baseline of the same choice by the
/// definition (a Jaccard score per pattern of that alertname, `SymptomSimilarity.score`).
/// Per-alert figures are given as this thread's CPU time (what other processes on a loaded
/// machine take does not count) and as wall time.
func patternChoiceBenchmark(patterns count: Int) {
    var random = SeededRandom(seed: 42)
    let t0 = Timestamp(seconds: 1_800_000_000)
    let containers = (0..<200).map { "app\($0)" }
    func labels(_ alertname: String) -> [String: String] {
        var labels = ["alertname": alertname, "container": containers[random.next(below: containers.count)], "host": "host\(random.next(below: 20))"]
        if random.next(below: 2) == 0 { labels["severity"] = ["warning", "critical"][random.next(below: 2)] }
        if random.next(below: 2) == 0 { labels["job"] = "cadvisor" }
        if random.next(below: 4) == 0 { labels["service"] = "svc\(random.next(below: 5))" }
        return labels
    }
    var patterns: [LearnedPattern] = []
    let shared = min(1_000, count)
    for i in 0..<count {
        let alertname = i < shared ? "ContainerDown" : "Alert\(i % 90)"
        patterns.append(
            LearnedPattern(
                id: Int64(i + 1), symptom: SymptomFingerprint(labels: labels(alertname)),
                actions: [ActionProposal(action: "docker.restart", parameters: ["container": "{{labels.container}}"])],
                successes: random.next(below: 20), failures: random.next(below: 3), createdAt: t0))
    }
    let alerts = (0..<2_000).map { _ in Alert(status: .firing, labels: labels("ContainerDown"), startsAt: t0) }
    let policy = CommandPolicy()
    let context = PolicyContext(protectedContainers: PolicyContext.defaultProtectedContainers, protectedUnits: [], targetIsJarvisHost: false)
    let allowed: (ActionProposal) -> Bool = { policy.evaluate($0, host: "vps", context: context).rejection == nil }

    var buildSeconds = 0.0
    var index = PatternIndex([])
    buildSeconds = seconds { index = PatternIndex(patterns) }
    var chosen = 0
    var matched = 0
    // Warm-up, then the measured rounds: fingerprint and match; then with binding the best
    // match to the alert's labels; then with the command policy's check of the bound actions
    // (which every plan gets, whoever proposed it).
    for alert in alerts.prefix(200) { _ = PatternChoice.choose(index.matches(for: alert, now: t0), for: alert, exhausted: [], allowed: allowed) }
    let matchSeconds = timed {
        for _ in 0..<5 { for alert in alerts { matched += index.matches(for: alert, now: t0).count } }
    }
    let bindSeconds = timed {
        for _ in 0..<5 {
            for alert in alerts
            where PatternChoice.choose(index.matches(for: alert, now: t0), for: alert, exhausted: [], allowed: { _ in true }).chosen != nil {
                chosen += 1
            }
        }
    }
    let indexSeconds = timed {
        for _ in 0..<5 {
            for alert in alerts { _ = PatternChoice.choose(index.matches(for: alert, now: t0), for: alert, exhausted: [], allowed: allowed) }
        }
    }
    // The fingerprint alone, as ingest stores it (the index reads the labels without it).
    var parts = 0
    let fingerprintSeconds = timed {
        for _ in 0..<5 { for alert in alerts { parts += SymptomFingerprint(labels: alert.labels).parts.count } }
    }
    matched /= 5
    chosen /= 5
    // Baseline: the definition, scanning every pattern of the alertname (one round of 500
    // alerts: it is slow), compared with the index on the same alerts.
    let byName = Dictionary(grouping: patterns, by: \.alertname)
    let sample = alerts.prefix(500)
    var sampleMatched = 0
    let sampleIndexSeconds = timed {
        for alert in sample { sampleMatched += index.matches(for: alert, now: t0).count }
    }
    var baselineMatched = 0
    let baselineSeconds = timed {
        for _ in 0..<1 {
            for alert in sample {
                let symptom = SymptomFingerprint(labels: alert.labels)
                var found: [LearnedPattern] = []
                for pattern in byName[alert.alertname] ?? [] where SymptomSimilarity.matches(pattern.symptom, symptom) { found.append(pattern) }
                baselineMatched += found.count
            }
        }
    }
    let runs = Double(alerts.count * 5)
    let perAlert = { (t: (wall: Double, cpu: Double)) in
        String(format: "%.2f", t.cpu / runs * 1e6) + " cpu, " + String(format: "%.2f", t.wall / runs * 1e6) + " wall"
    }
    guard sampleMatched == baselineMatched else {
        FileHandle.standardError.write(Data("benchmark: the index found \(sampleMatched) matches, the definition \(baselineMatched)\n".utf8))
        exit(1)
    }
    print(
        "patterns=\(count) sharing_alertname=\(shared) alerts=\(alerts.count) (x5) matches_per_alert=\(String(format: "%.2f", Double(matched) / Double(alerts.count))) chosen=\(chosen)"
    )
    print("index_build_ms=\(String(format: "%.1f", buildSeconds * 1000))")
    print("fingerprint_us_per_alert=\(perAlert(fingerprintSeconds)) (SymptomFingerprint(labels:) alone, \(parts / 5) parts)")
    print("match_us_per_alert=\(perAlert(matchSeconds)) (fingerprint + index)")
    print("choice_us_per_alert=\(perAlert(bindSeconds)) (+ binding the best match)")
    print("choice_with_policy_us_per_alert=\(perAlert(indexSeconds)) (+ the command policy's check of the bound actions)")
    print(
        "definition_scan_us_per_alert=\(String(format: "%.2f", baselineSeconds.cpu / Double(sample.count) * 1e6)) cpu (index on the same \(sample.count) alerts: \(String(format: "%.2f", sampleIndexSeconds.cpu / Double(sample.count) * 1e6)))"
    )
    print("index_vs_definition_scan=\(String(format: "%.1f", baselineSeconds.cpu / sampleIndexSeconds.cpu))x faster")
}

/// Wall and this thread's CPU seconds of `body`.
private func timed(_ body: () -> Void) -> (wall: Double, cpu: Double) {
    func cpu() -> Double {
        var now = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now)
        return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
    }
    let cpuStart = cpu()
    let wall = seconds(body)
    return (wall, cpu() - cpuStart)
}
