/// One of the remediation patterns jarvis ships with, before it has learned anything
/// (docs/behaviour.md, "Learning"): for one alertname, the catalog actions that usually fix it.
///
/// Parameter values (and the host) may hold placeholders `{{labels.NAME}}`, filled from the
/// alert's labels by `bind(to:)`. A label that is missing or empty makes the pattern
/// ineligible for that alert, and so does a missing `requiredLabels` entry (labels a pattern
/// needs although no parameter uses them, e.g. `instance` to route a host-level alert).
/// Bound values are still untrusted: they go through the command policy like any proposal.
///
/// Seeds carry an honest, low evidence count (`seedSuccesses`/`seedFailures`, 2 and 0):
/// confidence (2+1)/(2+0+2) = 0.75 but only 2 successes, so every seed starts in tier 3
/// (`FixTier.tier3`): nothing runs without the LLM on day one. One verified success makes a
/// seed a tier-2 hint (3 successes, 0.80); tier 1 needs confidence ≥ 0.90, which with no
/// failures is 8 successes, exactly 0.90, which the age decay takes just below by the next
/// run: in practice 9, i.e. 7 verified successes in this deployment.
public struct SeedPattern: Sendable, Equatable, Hashable {
    /// The alert this pattern is for.
    public var alertname: String
    /// What the pattern does and why, for people and as an LLM hint.
    public var summary: String
    /// The actions, in order, with `{{labels.NAME}}` placeholders.
    public var actions: [ActionProposal]
    /// Labels the alert must carry (non-empty) beyond those the placeholders use.
    public var requiredLabels: [String]
    /// Verified successes the seed starts with.
    public var successes: Int
    /// Verified failures the seed starts with.
    public var failures: Int

    /// The successes every seed starts with.
    public static let seedSuccesses = 2
    /// The failures every seed starts with.
    public static let seedFailures = 0

    /// Creates a seed pattern.
    ///
    /// - Parameters:
    ///   - alertname: The alert it is for.
    ///   - summary: What it does and why.
    ///   - actions: The actions with label placeholders.
    ///   - requiredLabels: Labels needed beyond the placeholders.
    ///   - successes: Starting verified successes.
    ///   - failures: Starting verified failures.
    public init(
        alertname: String, summary: String, actions: [ActionProposal], requiredLabels: [String] = [],
        successes: Int = SeedPattern.seedSuccesses, failures: Int = SeedPattern.seedFailures
    ) {
        self.alertname = alertname
        self.summary = summary
        self.actions = actions
        self.requiredLabels = requiredLabels
        self.successes = successes
        self.failures = failures
    }

    /// The starting confidence, `PatternConfidence` with no age.
    public var confidence: Double { PatternConfidence.calculate(successes: successes, failures: failures, ageDays: 0) }

    /// The starting tier (tier 3 for every shipped seed).
    public var tier: FixTier { FixTier(confidence: confidence, verifiedSuccesses: successes) }

    /// Every label the pattern needs: `requiredLabels` and the placeholders', sorted.
    public var labelsUsed: [String] {
        var names = Set(requiredLabels)
        for action in actions {
            for value in action.parameters.values { names.formUnion(SeedPattern.placeholders(in: value)) }
            if let host = action.host { names.formUnion(SeedPattern.placeholders(in: host)) }
        }
        return names.sorted()
    }

    /// Fills the placeholders from an alert's labels.
    ///
    /// - Parameter alert: The alert to remediate.
    /// - Returns: `.bound` with the proposals, or `.ineligible` when the alertname differs or a
    ///   needed label is missing or empty.
    public func bind(to alert: Alert) -> SeedPatternBinding {
        guard alert.alertname == alertname else {
            return .ineligible(reason: "the pattern is for \(alertname), the alert is \(CommandPolicy.describe(alert.alertname))")
        }
        let missing = labelsUsed.filter { (alert.labels[$0] ?? "").isEmpty }
        if !missing.isEmpty {
            return .ineligible(reason: "\(alertname) pattern needs label(s) \(missing.joined(separator: ", ")), which the alert lacks")
        }
        let proposals = actions.map { action in
            ActionProposal(
                action: action.action, parameters: action.parameters.mapValues { SeedPattern.fill($0, labels: alert.labels) },
                host: action.host.map { SeedPattern.fill($0, labels: alert.labels) }, rationale: action.rationale)
        }
        return .bound(proposals)
    }

    /// The label names of the `{{labels.NAME}}` placeholders in a value, in order.
    ///
    /// - Parameter value: A parameter value or host template.
    public static func placeholders(in value: String) -> [String] {
        var names: [String] = []
        var rest = Substring(value)
        while let open = rest.firstRange(of: "{{labels."), let close = rest[open.upperBound...].firstRange(of: "}}") {
            names.append(String(rest[open.upperBound..<close.lowerBound]))
            rest = rest[close.upperBound...]
        }
        return names
    }

    /// `value` with every `{{labels.NAME}}` replaced by that label's value ("" when absent).
    static func fill(_ value: String, labels: [String: String]) -> String {
        var out = ""
        var rest = Substring(value)
        while let open = rest.firstRange(of: "{{labels."), let close = rest[open.upperBound...].firstRange(of: "}}") {
            out += rest[..<open.lowerBound]
            out += labels[String(rest[open.upperBound..<close.lowerBound])] ?? ""
            rest = rest[close.upperBound...]
        }
        out += rest
        return out
    }
}
