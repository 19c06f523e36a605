import Foundation
import JarvisCore
import JarvisTestSupport
import Testing

@Suite struct TriageStateTests {
    let t = TriageFixtures.at

    /// A pipeline whose state has something in every part.
    func busyPipeline() -> TriagePipeline {
        var pipeline = TriagePipeline(graph: CascadeGraph(configuration: .specExample))
        let sample = TriageFixtures.vpnCascade
        _ = pipeline.triage(sample.vpn, host: .host("outpost"), now: t(0))
        _ = pipeline.triage(sample.vpsHostDown, host: .host("vps"), now: t(1))
        let parked = TriageFixtures.alert("DiskSpaceHigh", labels: ["host": "nas", "device": "sda1"], startsAt: t(-30))
        let window = MaintenanceWindow(id: 4, host: "nas", reason: "disk swap", author: "bob", startsAt: t(-60))
        _ = pipeline.triage(parked, host: .host("nas"), windows: [window], now: t(2))
        pipeline.recordAttempt(alertKey: sample.vpn.alertKey, at: t(3))
        return pipeline
    }

    @Test func stateRoundTripsThroughJSONAndTheNextRunSeesIt() throws {
        let pipeline = busyPipeline()
        let state = pipeline.state
        #expect(!state.processed.isEmpty)
        #expect(!state.openOccurrences.isEmpty)
        #expect(state.rootCauses.causes.count == 2)
        #expect(!state.flapDetectors.isEmpty)
        #expect(!state.budgets.isEmpty)
        #expect(state.parked.count == 1)

        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data = try encoder.encode(state)
        let decoded = try JSONDecoder().decode(TriageState.self, from: data)
        #expect(decoded == state)
        #expect(try encoder.encode(decoded) == data)

        // The next process: the same VPN notification is a duplicate, its root cause still
        // hides the VPS, and the parked alert is released when its window is gone.
        var next = TriagePipeline(graph: CascadeGraph(configuration: .specExample), state: decoded)
        #expect(next.triage(TriageFixtures.vpnCascade.vpn, host: .host("outpost"), now: t(100)).decision == .deduplicated)
        #expect(next.triage(TriageFixtures.vpnCascade.postgres, host: .host("vps"), now: t(100)).kind == "suppressed:cascade")
        #expect(next.reevaluateParked(windows: [], now: t(100)).map(\.alertname) == ["DiskSpaceHigh"])
    }

    @Test func stateJSONIsReadable() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let text = String(decoding: try encoder.encode(busyPipeline().state), as: UTF8.self)
        #expect(text.contains("\"version\":1"))
        #expect(text.contains("2026-11-29T03:00:00Z"))
        #expect(text.contains("\"node\":\"service:wireguard\""))
        #expect(text.contains("WireGuardVPNDown/outpost"))
    }

    @Test func anEmptyObjectDecodesAsAnEmptyState() throws {
        let state = try JSONDecoder().decode(TriageState.self, from: Data("{}".utf8))
        #expect(state == TriageState())
        #expect(state.entryCount == 0)
        #expect(state.version == TriageState.currentVersion)
    }

    @Test func aMalformedTimestampFailsToDecode() {
        let json = #"{"processed": {"x@y/firing": "yesterday"}}"#
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(TriageState.self, from: Data(json.utf8)) }
    }

    @Test func timestampsKeepTheirNanoseconds() throws {
        let stamp = Timestamp(seconds: 1_795_921_200, nanoseconds: 278_124_551)
        let data = try JSONEncoder().encode([stamp])
        #expect(String(decoding: data, as: UTF8.self) == #"["2026-11-29T03:00:00.278124551Z"]"#)
        #expect(try JSONDecoder().decode([Timestamp].self, from: data) == [stamp])
    }

    @Test func pruningBoundsTheStateWhenResolvesAreLost() {
        var pipeline = TriagePipeline(graph: CascadeGraph(configuration: .specExample))
        for n in 0..<500 {
            let alert = TriageFixtures.alert("HostDown", labels: ["host": "h\(n)", "instance": "h\(n):9100"])
            _ = pipeline.triage(alert, host: .host("h\(n)"), now: t(0))
            pipeline.recordAttempt(alertKey: alert.alertKey, at: t(0))
        }
        #expect(pipeline.state.processed.count == 500)
        #expect(pipeline.state.rootCauses.causes.count == 500)
        #expect(pipeline.state.entryCount == 2500)

        pipeline.prune(now: t(299))
        #expect(pipeline.state.processed.count == 500)
        pipeline.prune(now: t(300))
        #expect(pipeline.state.processed.isEmpty)
        #expect(pipeline.state.rootCauses.causes.count == 500)

        pipeline.prune(now: t(3600))
        #expect(pipeline.state.rootCauses.causes.isEmpty)
        pipeline.prune(now: t(7200))
        #expect(pipeline.state.budgets.isEmpty)
        pipeline.prune(now: t(86_400))
        #expect(pipeline.state.flapDetectors.isEmpty)
        #expect(pipeline.state.openOccurrences.count == 500)
        #expect(pipeline.prune(now: t(604_800)) == 500)
        #expect(pipeline.state.entryCount == 0)
    }

    @Test func pruningKeepsWhatStillMatters() {
        var pipeline = busyPipeline()
        _ = pipeline.triage(TriageFixtures.vpnCascade.vpn, host: .host("outpost"), now: t(3000))
        pipeline.prune(now: t(3601))
        #expect(pipeline.state.rootCauses.causes.values.map(\.alertname) == ["WireGuardVPNDown"])
        #expect(pipeline.state.budgets.count == 1)
        #expect(pipeline.state.parked.count == 1)
        #expect(pipeline.state.openOccurrences.count == 3)
    }

    @Test func pipelineAppliesTheConfiguredRootCauseTTLToLoadedState() {
        var state = TriageState()
        state.rootCauses.ttl = 99
        let pipeline = TriagePipeline(configuration: TriageConfiguration(rootCauseTTL: 600), state: state)
        #expect(pipeline.state.rootCauses.ttl == 600)
    }
}
