import Foundation
import JarvisCore
import Testing

private let t0 = Timestamp(seconds: 1_800_000_000)
private let policy = CommandPolicy()

private func document(_ patterns: String) -> [UInt8] {
    Array(#"{"format": "jarvis-patterns", "version": 1, "patterns": [\#(patterns)]}"#.utf8)
}

private func problems(_ bytes: [UInt8]) -> [String] {
    switch PatternDocument.parse(bytes, policy: policy, now: t0) {
    case .success(let patterns): return ["imported \(patterns.count)"]
    case .failure(let problems): return problems.problems.map(\.description)
    }
}

private let good = #"""
    {"alertname": "ContainerDown", "source": "learned", "symptom": ["alertname=ContainerDown", "container=frigate", "host=nvr"],
     "actions": [{"action": "docker.restart", "parameters": {"container": "{{labels.container}}"}}], "successes": 7, "failures": 1}
    """#

@Suite struct PatternDocumentTests {
    @Test func anExportReadsBackAsTheSamePatterns() throws {
        var learned = PatternExtraction.pattern(
            from: [ActionProposal(action: "docker.restart", parameters: ["container": "frigate"])],
            alert: ["alertname": "ContainerDown", "container": "frigate", "host": "nvr"], summary: "restart", now: t0)
        learned.id = 15
        learned.successes = 12
        learned.lastUsedAt = t0
        let seed = LearnedPattern(seed: SeedPattern.all[0], id: 1, createdAt: t0)
        let text = PatternDocument.export([seed, learned], now: t0)
        let back = try PatternDocument.parse(Array(text.utf8), policy: policy, now: t0).get()
        #expect(back.map(\.key) == [seed.key, learned.key])
        #expect(back[1].successes == 12 && back[1].lastUsedAt == t0 && back[1].actions == learned.actions)
        #expect(back[0].actions == seed.actions)
        #expect(
            PatternDocument.export(
                back.enumerated().map {
                    var p = $1
                    p.id = [1, 15][$0]
                    return p
                }, now: t0) == text, "stable")
    }

    @Test func aGoodDocumentImports() {
        #expect(problems(document(good)) == ["imported 1"])
    }

    @Test(arguments: [
        // unknown action
        (
            #"{"alertname": "A", "source": "learned", "symptom": ["alertname=A"], "actions": [{"action": "shell.run", "parameters": {"command": "id"}}], "successes": 1, "failures": 0}"#,
            "$.patterns[0].actions[0].action"
        ),
        // shell string in a parameter
        (
            #"{"alertname": "A", "source": "learned", "symptom": ["alertname=A"], "actions": [{"action": "docker.restart", "parameters": {"container": "x; rm -rf /"}}], "successes": 1, "failures": 0}"#,
            "$.patterns[0].actions[0].parameters.container"
        ),
        // binding to a label that does not exist
        (
            #"{"alertname": "A", "source": "learned", "symptom": ["alertname=A", "host=h"], "actions": [{"action": "docker.restart", "parameters": {"container": "{{labels.container}}"}}], "successes": 1, "failures": 0}"#,
            "$.patterns[0].actions[0].parameters.container"
        ),
        // binding that is only part of a value
        (
            #"{"alertname": "A", "source": "learned", "symptom": ["alertname=A", "container=c"], "actions": [{"action": "docker.restart", "parameters": {"container": "x{{labels.container}}"}}], "successes": 1, "failures": 0}"#,
            "$.patterns[0].actions[0].parameters.container"
        ),
        // protected target
        (
            #"{"alertname": "A", "source": "learned", "symptom": ["alertname=A"], "actions": [{"action": "docker.restart", "parameters": {"container": "postgres-jarvis"}}], "successes": 1, "failures": 0}"#,
            "$.patterns[0].actions[0]"
        ),
        // negative count
        (
            #"{"alertname": "A", "source": "learned", "symptom": ["alertname=A"], "actions": [{"action": "docker.restart", "parameters": {"container": "c"}}], "successes": -3, "failures": 0}"#,
            "$.patterns[0].successes"
        ),
        // no actions
        (
            #"{"alertname": "A", "source": "learned", "symptom": ["alertname=A"], "actions": [], "successes": 1, "failures": 0}"#,
            "$.patterns[0].actions"
        ),
        // symptom of another alert
        (
            #"{"alertname": "A", "source": "learned", "symptom": ["alertname=B"], "actions": [{"action": "docker.restart", "parameters": {"container": "c"}}], "successes": 1, "failures": 0}"#,
            "$.patterns[0].symptom[0]"
        ),
    ])
    func hostilePatternsAreRefusedWithTheirJSONPath(pattern: String, path: String) {
        let found = problems(document(good + ", " + pattern.replacingOccurrences(of: "patterns[0]", with: "patterns[1]")))
        let expected = path.replacingOccurrences(of: "patterns[0]", with: "patterns[1]")
        #expect(found.contains { $0.hasPrefix(expected + ":") }, "\(found)")
        #expect(!found.contains("imported 2") && !found.contains("imported 1"), "nothing is imported, not even the good pattern")
    }

    @Test func invalidJSONAndHugeFilesAreRefused() {
        #expect(problems(Array("{\"format\": ".utf8)) == ["$: not valid JSON"])
        #expect(problems(Array("[]".utf8)) == ["$: expected an object, found array"])
        let huge = [UInt8](repeating: UInt8(ascii: " "), count: PatternDocument.maximumBytes + 1)
        #expect(problems(huge).first?.hasPrefix("$: the file has") == true)
        #expect(
            problems(Array(#"{"format": "other", "version": 2, "patterns": []}"#.utf8)) == [
                "$.format: must be \"jarvis-patterns\"", "$.version: must be 1",
            ])
    }

    @Test func theSamePatternTwiceIsRefused() {
        #expect(problems(document(good + ", " + good)) == ["$.patterns[1]: the same pattern appears twice"])
    }
}
