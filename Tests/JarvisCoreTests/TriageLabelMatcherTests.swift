import Foundation
import JarvisCore
import Testing

@Suite struct TriageLabelMatcherTests {
    @Test(arguments: [
        ("alertname=\"HostDown\"", "alertname", LabelMatcher.Operator.equal, "HostDown"),
        ("severity != warning", "severity", .notEqual, "warning"),
        ("alertname=~\"Container(Down|Unhealthy)\"", "alertname", .matchesRegex, "Container(Down|Unhealthy)"),
        ("  team!~\"ops|sre\"  ", "team", .doesNotMatchRegex, "ops|sre"),
        ("msg=\"say \\\"hi\\\"\\n\"", "msg", .equal, "say \"hi\"\n"),
        ("instance=~\"vps\\.home\\.arpa:\\d+\"", "instance", .matchesRegex, "vps\\.home\\.arpa:\\d+"),
        ("team=\"\"", "team", .equal, ""),
        ("_x1=bare value", "_x1", .equal, "bare value"),
    ])
    func parsesAlertmanagerMatcherText(_ text: String, _ name: String, _ op: LabelMatcher.Operator, _ value: String) throws {
        let matcher = try LabelMatcher(parsing: text)
        #expect(matcher.name == name)
        #expect(matcher.op == op)
        #expect(matcher.value == value)
        #expect(try LabelMatcher(parsing: matcher.description) == matcher)
    }

    @Test(arguments: [
        ("1abc=\"x\"", "not a label name"),
        ("=\"x\"", "label name"),
        ("alertname", "expected one of"),
        ("alertname ~ x", "expected one of"),
        ("alertname=\"unclosed", "not closed"),
        ("alertname=\"x\" trailing", "after the quoted value"),
        ("alertname=~\"(\"", "does not compile"),
        ("alertname=a\"b", "quote"),
    ])
    func rejectsBadMatchersWithAClearReason(_ text: String, _ fragment: String) {
        do {
            let matcher = try LabelMatcher(parsing: text)
            Issue.record("\(text) parsed as \(matcher)")
        } catch let error as LabelMatcherError {
            #expect(error.matcher == text)
            #expect(error.reason.contains(fragment), "\(error)")
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    @Test func regexMatchersAreAnchoredLikeAlertmanager() throws {
        let host = try LabelMatcher(name: "alertname", op: .matchesRegex, value: "Host.*")
        #expect(host.matches(["alertname": "HostDown"]))
        #expect(!host.matches(["alertname": "VPSHostDown"]))
        let container = try LabelMatcher(name: "alertname", op: .matchesRegex, value: "Container")
        #expect(!container.matches(["alertname": "ContainerDown"]))
        #expect(container.matches(["alertname": "Container"]))
        let alternation = try LabelMatcher(name: "alertname", op: .matchesRegex, value: "a|ab")
        #expect(alternation.matches(["alertname": "ab"]))
        #expect(!alternation.matches(["alertname": "xab"]))
        let negated = try LabelMatcher(name: "alertname", op: .doesNotMatchRegex, value: "Host.*")
        #expect(negated.matches(["alertname": "VPSHostDown"]))
        #expect(!negated.matches(["alertname": "HostDown"]))
    }

    @Test func missingLabelsCountAsEmpty() throws {
        #expect(try LabelMatcher(parsing: "team=\"\"").matches([:]))
        #expect(!(try LabelMatcher(parsing: "team!=\"\"").matches([:])))
        #expect(try LabelMatcher(parsing: "team!=\"ops\"").matches([:]))
        #expect(try LabelMatcher(parsing: "team=~\"ops|\"").matches([:]))
        #expect(!(try LabelMatcher(parsing: "team=~\".+\"").matches([:])))
    }

    @Test func oneOfMatchesExactlyTheListedValues() {
        let matcher = LabelMatcher.oneOf("alertname", ["a.b", "c(d)", "HostDown"])
        #expect(matcher.matches(["alertname": "a.b"]))
        #expect(!matcher.matches(["alertname": "axb"]))
        #expect(matcher.matches(["alertname": "c(d)"]))
        #expect(matcher.matches(["alertname": "HostDown"]))
        #expect(!matcher.matches(["alertname": "VPSHostDown"]))
    }

    @Test func invalidLabelNamesAreRejectedWhenBuiltFromParts() {
        #expect(throws: LabelMatcherError.self) { try LabelMatcher(name: "bad-name", op: .equal, value: "x") }
        #expect(throws: LabelMatcherError.self) { try LabelMatcher(name: "x", op: .matchesRegex, value: "[") }
    }

    @Test func matchersEncodeAsTheirTextAndDecodeBack() throws {
        let matchers = [
            try LabelMatcher(parsing: "alertname=~\"Container(Down|Unhealthy)\""), LabelMatcher.equal("severity", "critical"),
            try LabelMatcher(parsing: "msg!=\"a \\\"quoted\\\" \\\\ value\""),
        ]
        let data = try JSONEncoder().encode(matchers)
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.contains("alertname=~"))
        #expect(try JSONDecoder().decode([LabelMatcher].self, from: data) == matchers)
    }

    @Test func decodingAnInvalidMatcherNamesIt() {
        let data = Data(#"["alertname=~\"(\""]"#.utf8)
        do {
            _ = try JSONDecoder().decode([LabelMatcher].self, from: data)
            Issue.record("decoded an invalid regex")
        } catch let DecodingError.dataCorrupted(context) {
            #expect(context.debugDescription.contains("invalid label matcher"))
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }
}
