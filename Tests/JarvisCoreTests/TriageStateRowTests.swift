import Foundation
import JarvisCore
import JarvisTestSupport
import Testing

/// The large parts of the triage state as rows: the encoding, and that triaging with the
/// state paged in and out per batch decides exactly what triaging with all of it in memory
/// decides.
@Suite struct TriageStateRowTests {
    let t = TriageFixtures.at

    /// A stand-in for `triage_rows`: key → value.
    typealias Store = [String: [UInt8]]

    static func write(_ rows: [TriageStateRow], to store: inout Store) {
        for row in rows { store[row.key] = row.value }
    }

    @Test func rowsRoundTripTheLargePartsAndLeaveTheSmallOnes() {
        var pipeline = TriagePipeline(graph: CascadeGraph(configuration: .specExample))
        let sample = TriageFixtures.vpnCascade
        _ = pipeline.triage(sample.vpn, host: .host("outpost"), now: t(0))
        _ = pipeline.triage(sample.vpsHostDown, host: .host("vps"), now: t(1))
        _ = pipeline.triage(TriageFixtures.resolved(sample.vpsHostDown), host: .host("vps"), now: t(2))
        _ = pipeline.triage(sample.vpsHostDown, host: .host("vps"), now: t(400))
        pipeline.recordAttempt(alertKey: sample.vpn.alertKey, at: t(3))
        let before = pipeline.state
        #expect(before.processed.count == 3)
        #expect(before.flapDetectors.count == 2)

        let rows = pipeline.takeRows()
        #expect(rows.count == 4, "two occurrences and two alert keys")
        #expect(pipeline.state.processed.isEmpty && pipeline.state.openOccurrences.isEmpty && pipeline.state.flapDetectors.isEmpty)
        #expect(pipeline.state.rootCauses == before.rootCauses)
        #expect(pipeline.state.budgets == before.budgets)

        pipeline.insert(rows: rows.map { ($0.key, $0.value ?? []) }, prunedAt: nil)
        #expect(pipeline.state == before)
    }

    @Test func expiryIsTheLatestTimeAnyEntryOfTheRowStillMatters() {
        let configuration = TriageConfiguration(dedupCooldown: 300, occurrenceRetention: 1000, flapHistoryRetention: 500)
        var pipeline = TriagePipeline(configuration: configuration)
        let alert = TriageFixtures.alert("DiskFull", labels: ["instance": "nas:9100"])
        _ = pipeline.triage(alert, host: .host("nas"), now: t(10))
        let rows = Dictionary(uniqueKeysWithValues: pipeline.takeRows().map { ($0.key, $0.expiresAt) })
        let keys = TriageStateRow.keys(for: alert)
        #expect(rows[keys.occurrence] == t(1010).epochSeconds, "open occurrence outlives the processed key")
        #expect(rows[keys.flap] == t(510).epochSeconds)

        _ = pipeline.triage(TriageFixtures.resolved(alert), host: .host("nas"), now: t(20))
        let closed = Dictionary(uniqueKeysWithValues: pipeline.takeRows().map { ($0.key, $0.expiresAt) })
        #expect(closed[keys.occurrence] == t(320).epochSeconds, "resolved: only the processed keys remain, for the cooldown")
    }

    @Test func damagedRowsAreReportedAndLeftOut() {
        var pipeline = TriagePipeline()
        let alert = TriageFixtures.alert("DiskFull", labels: ["instance": "nas:9100"])
        _ = pipeline.triage(alert, host: .host("nas"), now: t(0))
        let rows = pipeline.takeRows()
        #expect(rows.contains { $0.value?.isEmpty == false }, "no encoded row to damage")
        var damaged: [(key: String, value: [UInt8])] = []
        for row in rows {
            let value = row.value ?? []
            damaged.append((row.key, Array(value.dropLast())))  // truncated
            damaged.append((row.key + "x", value + [0]))  // trailing byte
            damaged.append((row.key + "y", [99] + value.dropFirst()))  // unknown version
        }
        damaged.append(("z|unknown", [1]))
        damaged.append(("o|empty", []))
        let unreadable = pipeline.insert(rows: damaged, prunedAt: nil)
        #expect(unreadable.count == damaged.count)
        #expect(pipeline.state == TriageState())
    }

    @Test func everyPrefixOfAnEncodedRowIsRejectedNotMisread() {
        var pipeline = TriagePipeline()
        let alert = TriageFixtures.alert("DiskFull", labels: ["instance": "nås:9100 ünïcode"])
        for n in 0..<25 { _ = pipeline.triage(n % 2 == 0 ? alert : TriageFixtures.resolved(alert), host: .host("nas"), now: t(Double(n) * 400)) }
        let rows = pipeline.takeRows()
        #expect(rows.contains { $0.value?.isEmpty == false }, "no encoded row to cut")
        for row in rows {
            let value = row.value ?? []
            for length in 0..<value.count {
                var probe = TriagePipeline()
                #expect(probe.insert(rows: [(row.key, Array(value.prefix(length)))], prunedAt: nil) == [row.key])
            }
        }
    }

    @Test func readingWithPruneDropsWhatTheStartOfRunPruneWould() {
        let configuration = TriageConfiguration()
        var reference = TriagePipeline(configuration: configuration, graph: CascadeGraph(configuration: .specExample))
        var store = Store()
        var alerts: [Alert] = []
        for n in 0..<40 {
            let alert = TriageFixtures.alert("HostDown", labels: ["instance": "h\(n):9100"])
            alerts.append(alert)
            // Spread over 9 days: some processed keys, flap histories and occurrences expire.
            _ = reference.triage(alert, host: .host("h\(n)"), now: t(Double(n) * 20_000))
        }
        var writer = reference
        Self.write(writer.takeRows(), to: &store)
        let now = t(40 * 20_000)
        reference.prune(now: now)
        var paged = TriagePipeline(configuration: configuration, graph: CascadeGraph(configuration: .specExample))
        paged.insert(rows: store.map { ($0.key, $0.value) }, prunedAt: now)
        #expect(paged.state.processed == reference.state.processed)
        #expect(paged.state.openOccurrences == reference.state.openOccurrences)
        #expect(paged.state.flapDetectors == reference.state.flapDetectors)
        #expect(reference.state.openOccurrences.count < 40 && !reference.state.openOccurrences.isEmpty)
    }

    /// Thousands of random notifications over many runs: one pipeline keeps its whole state
    /// in memory (pruned at the start of each run, the old way); the other keeps only the
    /// rows the current batch needs, as `TriageSession` does. Every decision and reason must
    /// be the same, and so must the state at the end.
    @Test(arguments: [1, 2, 3, 4]) func pagingDecidesExactlyWhatTheWholeStateDecides(seed: UInt64) throws {
        var random = SeededRandom(seed: seed)
        let graph = CascadeGraph(configuration: .specExample, hostParents: ["vps": ["outpost"]])
        let configuration = TriageConfiguration(flapHistoryRetention: 50_000)
        var reference = TriagePipeline(configuration: configuration, graph: graph)
        var smallState = TriageState()
        var store = Store()
        let names = ["HostDown", "DiskFull", "WireGuardVPNDown", "VPSHostDown", "ContainerDown"]
        let hosts = ["outpost", "vps", "nas"]
        let starts = [t(-600), t(-300), t(0)]
        var clock = 0.0
        var decisions = 0
        var lastRunStart = t(0)
        for run in 0..<60 {
            // Mostly minutes between runs, sometimes days (retention limits are crossed).
            clock += [30, 200, 400, 3_000, 90_000, 700_000][Int(random.next() % 6)]
            let runStart = t(clock)
            lastRunStart = runStart
            reference.prune(now: runStart)
            var paged = TriagePipeline(configuration: configuration, graph: graph, state: smallState)
            paged.prune(now: runStart)
            for _ in 0..<Int(random.next() % 4 + 1) {
                var batch: [Alert] = []
                for _ in 0..<Int(random.next() % 30 + 1) {
                    let host = hosts[Int(random.next() % 3)]
                    var labels = ["instance": "\(host):9100", "remediation_host": host, "system": host]
                    if random.next() % 4 == 0 { labels["container"] = "nginx" }
                    var alert = TriageFixtures.alert(names[Int(random.next() % 5)], labels: labels, startsAt: starts[Int(random.next() % 3)])
                    if random.next() % 3 == 0 { alert = TriageFixtures.resolved(alert, endsAt: t(clock)) }
                    batch.append(alert)
                }
                var wanted: [String] = []
                for alert in batch {
                    let keys = TriageStateRow.keys(for: alert)
                    wanted += [keys.occurrence, keys.flap]
                }
                paged.insert(rows: wanted.compactMap { key in store[key].map { (key, $0) } }, prunedAt: runStart)
                for alert in batch {
                    clock += Double(random.next() % 120)
                    let host = HostRouting.host(alert.labels["remediation_host"] ?? "")
                    let expected = reference.triage(alert, host: host, now: t(clock))
                    let actual = paged.triage(alert, host: host, now: t(clock))
                    #expect(actual == expected, "run \(run): \(alert.alertKey) at \(clock)")
                    decisions += 1
                    if expected.decision == .actionable, random.next() % 2 == 0 {
                        reference.recordAttempt(alertKey: alert.alertKey, at: t(clock))
                        paged.recordAttempt(alertKey: alert.alertKey, at: t(clock))
                    }
                }
                let before = Set(wanted)
                let rows = paged.takeRows()
                Self.write(rows, to: &store)
                for key in before.subtracting(rows.map(\.key)) { store[key] = nil }
            }
            // The small parts go through JSON, as the state document does.
            smallState = try JSONDecoder().decode(TriageState.self, from: try JSONEncoder().encode(paged.state))
        }
        #expect(decisions > 500)
        var final = TriagePipeline(configuration: configuration, graph: graph, state: smallState)
        // Rows nobody read again are dropped when read, as the last run's start pruned them.
        final.insert(rows: store.map { ($0.key, $0.value) }, prunedAt: lastRunStart)
        #expect(final.state.processed == reference.state.processed)
        #expect(final.state.openOccurrences == reference.state.openOccurrences)
        #expect(final.state.flapDetectors == reference.state.flapDetectors)
        #expect(final.state.rootCauses.causes == reference.state.rootCauses.causes)
        #expect(final.state.budgets == reference.state.budgets)
    }
}
