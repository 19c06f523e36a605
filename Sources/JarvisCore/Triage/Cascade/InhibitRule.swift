/// An Alertmanager-style inhibit rule: while an alert matching `sourceMatchers` is an
/// active root cause, alerts matching `targetMatchers` are suppressed, provided the two
/// agree on every label in `equal`.
///
/// As in Alertmanager, a label missing from both alerts counts as equal (both are ""), an
/// empty matcher list matches every alert, and an alert never inhibits itself.
public struct InhibitRule: Sendable, Hashable, Codable {
    /// A name for logs and reasons; may be empty.
    public var name: String
    /// What the suppressing (source) alert must match.
    public var sourceMatchers: [LabelMatcher]
    /// What the suppressed (target) alert must match.
    public var targetMatchers: [LabelMatcher]
    /// Labels whose values must be the same in source and target.
    public var equal: [String]

    /// Creates a rule.
    /// - Parameters:
    ///   - name: a name for logs.
    ///   - sourceMatchers: matchers of the source alert.
    ///   - targetMatchers: matchers of the target alert.
    ///   - equal: labels that must agree.
    public init(name: String = "", sourceMatchers: [LabelMatcher], targetMatchers: [LabelMatcher], equal: [String] = []) {
        self.name = name
        self.sourceMatchers = sourceMatchers
        self.targetMatchers = targetMatchers
        self.equal = equal
    }

    /// True when `labels` can be a source of this rule.
    /// - Parameter labels: an alert's labels.
    public func matchesSource(_ labels: [String: String]) -> Bool {
        LabelMatcher.all(sourceMatchers, match: labels)
    }

    /// True when `labels` can be a target of this rule.
    /// - Parameter labels: an alert's labels.
    public func matchesTarget(_ labels: [String: String]) -> Bool {
        LabelMatcher.all(targetMatchers, match: labels)
    }

    /// True when an active `source` suppresses `target` under this rule. The caller makes
    /// sure the two are different alerts.
    /// - Parameters:
    ///   - target: labels of the alert being triaged.
    ///   - source: labels of the active root cause.
    public func inhibits(target: [String: String], source: [String: String]) -> Bool {
        guard matchesTarget(target), matchesSource(source) else { return false }
        return equal.allSatisfy { (target[$0] ?? "") == (source[$0] ?? "") }
    }

    private enum CodingKeys: String, CodingKey { case name, sourceMatchers, targetMatchers, equal }

    /// Decodes a rule; `name` and `equal` may be missing.
    /// - Throws: `DecodingError` for a missing matcher list or an invalid matcher.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decodeIfPresent(String.self, forKey: .name) ?? ""
        sourceMatchers = try c.decode([LabelMatcher].self, forKey: .sourceMatchers)
        targetMatchers = try c.decode([LabelMatcher].self, forKey: .targetMatchers)
        equal = try c.decodeIfPresent([String].self, forKey: .equal) ?? []
    }
}
