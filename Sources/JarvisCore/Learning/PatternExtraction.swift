/// Turns a verified plan into a pattern's actions: a parameter value (or host) equal to one of
/// the alert's label values becomes a `{{labels.NAME}}` binding, so the pattern applies to the
/// next occurrence whatever that label's value is; a value that does not come from a label
/// stays literal.
public enum PatternExtraction {
    /// The templated actions of `proposals` for an alert with `labels`.
    ///
    /// When several labels carry the value, the first in `SymptomFingerprint.labels` order
    /// wins, then the others by name; `alertname` is never used as a binding.
    public static func actions(from proposals: [ActionProposal], labels: [String: String]) -> [ActionProposal] {
        let preferred = SymptomFingerprint.labels + labels.keys.sorted().filter { !SymptomFingerprint.labels.contains($0) && $0 != "alertname" }
        func binding(_ value: String) -> String {
            guard !value.isEmpty, let name = preferred.first(where: { labels[$0] == value }) else { return value }
            return "{{labels.\(name)}}"
        }
        return proposals.map { proposal in
            ActionProposal(action: proposal.action, parameters: proposal.parameters.mapValues(binding), host: proposal.host.map(binding))
        }
    }

    /// A new learned pattern (no evidence yet) for a verified plan on `alert`.
    public static func pattern(from proposals: [ActionProposal], alert labels: [String: String], summary: String, now: Timestamp) -> LearnedPattern {
        LearnedPattern(
            symptom: SymptomFingerprint(labels: labels), actions: actions(from: proposals, labels: labels), summary: summary, createdAt: now)
    }
}
