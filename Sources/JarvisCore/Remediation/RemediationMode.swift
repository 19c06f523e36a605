/// What happens to a plan that passed the policy: run it, wait for a person, or only record it.
///
/// Ordered by caution: `execute` < `approve` < `dryRun`. Where several scopes set a mode
/// (the site's default, the host's inventory entry, label-matcher rules), the most cautious
/// one wins, so a rule can only ever make jarvis do less.
public enum RemediationMode: String, Sendable, Hashable, Codable, CaseIterable, Comparable, CustomStringConvertible {
    /// Run the commands over SSH (or locally for `local` hosts).
    case execute
    /// Every plan waits for a person (`jarvis approve ID`), whatever its risk.
    case approve
    /// Plan, check and record everything, run nothing.
    case dryRun = "dry-run"

    /// True when `lhs` is less cautious than `rhs`.
    public static func < (lhs: RemediationMode, rhs: RemediationMode) -> Bool { lhs.caution < rhs.caution }

    /// `execute`, `approve` or `dry-run`.
    public var description: String { rawValue }

    private var caution: Int {
        switch self {
        case .execute: return 0
        case .approve: return 1
        case .dryRun: return 2
        }
    }
}

/// A `remediation.rules` entry: alerts whose labels match every matcher get `mode` (or a more
/// cautious one from elsewhere).
public struct RemediationModeRule: Sendable, Hashable {
    /// Alertmanager-style matchers (`env="prod"`, `severity=~"critical|page"`), all of which must match.
    public var matchers: [LabelMatcher]
    /// The mode the rule asks for.
    public var mode: RemediationMode

    /// Creates a rule.
    ///
    /// - Parameters:
    ///   - matchers: All must match.
    ///   - mode: The mode for matching alerts.
    public init(matchers: [LabelMatcher], mode: RemediationMode) {
        self.matchers = matchers
        self.mode = mode
    }

    /// `{env="prod"} → approve`.
    public var summary: String { "{" + matchers.map(\.description).joined(separator: ", ") + "} → \(mode)" }
}

/// The mode that applies to one alert on one host, and the scope that set it.
public struct RemediationScope: Sendable, Equatable {
    /// The mode that applies.
    public var mode: RemediationMode
    /// Which scope set it, for the plan output, the Discord message and the remediation row:
    /// `remediation.mode`, `hosts.NAME.remediation.mode` or `remediation.rules[I] {…}`.
    public var rule: String

    /// Resolves the mode: the site's default, the host's own mode and every matching rule;
    /// the most cautious wins. On a tie the more specific scope is named (a rule over the
    /// host, the host over the default; among rules, the first that matched).
    ///
    /// - Parameters:
    ///   - global: `remediation.mode`.
    ///   - host: The inventory host's name and its `remediation.mode`, if it sets one.
    ///   - rules: `remediation.rules`, in file order.
    ///   - labels: The alert's labels.
    public static func resolve(
        global: RemediationMode, host: (name: String, mode: RemediationMode?), rules: [RemediationModeRule], labels: [String: String]
    ) -> RemediationScope {
        var best = RemediationScope(mode: global, rule: "remediation.mode")
        if let mode = host.mode, mode >= best.mode {
            best = RemediationScope(mode: mode, rule: "hosts[\(host.name)].remediation.mode")
        }
        var ruleChosen = false
        for (index, rule) in rules.enumerated() where LabelMatcher.all(rule.matchers, match: labels) {
            if rule.mode > best.mode || (rule.mode == best.mode && !ruleChosen) {
                best = RemediationScope(mode: rule.mode, rule: "remediation.rules[\(index)] \(rule.summary)")
                ruleChosen = true
            }
        }
        return best
    }
}
