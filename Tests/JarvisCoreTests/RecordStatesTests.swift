import JarvisCore
import Testing

/// The typed record states keep the exact strings the databases hold.
@Suite struct RecordStatesTests {
    @Test func rawValuesAreTheStoredStrings() {
        #expect(RemediationOutcome.allCases.map(\.rawValue) == ["pending", "succeeded", "failed", "rejected", "escalated", "unknown", "dry_run"])
        #expect(VerificationVerdict.allCases.map(\.rawValue) == ["pending", "verified", "failed", "unverified", "not_applicable"])
        #expect(ApprovalState.allCases.map(\.rawValue) == ["awaiting", "approved", "rejected"])
        #expect(
            TriageDecision.allKinds == [
                "deduplicated", "resolved", "suppressed:maintenance", "suppressed:host-offline", "suppressed:cascade", "held:flapping",
                "escalated", "budget:exhausted", "unroutable", "actionable",
            ])
        #expect(TriageDecision.suppressedHostOffline(host: "vps", since: nil).kind == "suppressed:host-offline")
    }

    @Test func storedCommandsRoundTripWithSortedKeys() {
        let commands = [
            StoredCommand(action: "docker_restart", parameters: ["container": "grafana"], argv: ["docker", "restart", "grafana"]),
            StoredCommand(action: "noop", parameters: [:], argv: []),
        ]
        let json = StoredCommand.json(commands)
        #expect(json.hasPrefix(#"[{"action":"docker_restart","argv":["docker","restart","grafana"],"parameters":{"container":"grafana"}}"#))
        #expect(StoredCommand.decode(json) == commands)
        #expect(StoredCommand.decode("[]").isEmpty)
        #expect(StoredCommand.decode("not json").isEmpty)
        #expect(StoredCommand.json([]) == "[]")
    }

    @Test func displayTextIsUTCToTheSecond() {
        #expect(Timestamp(seconds: 1_796_522_217, nanoseconds: 999_999_999).displayText == "2026-12-06 01:56:57Z")
        #expect(Timestamp(seconds: 0).displayText == "1970-01-01 00:00:00Z")
    }
}
