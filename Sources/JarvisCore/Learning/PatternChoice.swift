/// The pattern chosen for an alert, and the next few similar learned fixes (context for the
/// LLM at tier 2).
public struct PatternChoice: Sendable {
    /// A pattern with its actions bound to the alert's labels.
    public struct Bound: Sendable {
        public var match: PatternIndex.Match
        public var proposals: [ActionProposal]
    }

    /// The best usable pattern, nil when none applies.
    public var chosen: Bound?
    /// Up to `similarLimit` other learned patterns that apply, best first.
    public var similar: [Bound] = []

    /// How many similar fixes go with a tier-2 hint [3].
    public static let similarLimit = 3

    public init(chosen: Bound? = nil, similar: [Bound] = []) {
        self.chosen = chosen
        self.similar = similar
    }

    /// Walks `matches` (best first, as `PatternIndex.matches` orders them) and keeps the
    /// first pattern that binds to the alert's labels, whose every action `allowed` accepts
    /// (the command policy as configured now: a pattern learned under a looser policy is
    /// never used), and whose command set is not in `exhausted` (failed too often for this
    /// alert key).
    public static func choose(
        _ matches: [PatternIndex.Match], for alert: Alert, exhausted: Set<String>, allowed: (ActionProposal) -> Bool
    ) -> PatternChoice {
        var choice = PatternChoice()
        for match in matches {
            // Chosen, and as many similar fixes as go with it: the rest cannot change the choice.
            if choice.chosen != nil && choice.similar.count == similarLimit { break }
            guard let proposals = match.pattern.bind(to: alert).proposals, !proposals.isEmpty, proposals.allSatisfy(allowed) else { continue }
            guard
                exhausted.isEmpty
                    || !exhausted.contains(PatternCommands.key(proposals.map { ActionProposal(action: $0.action, parameters: $0.parameters) }))
            else { continue }
            let bound = Bound(match: match, proposals: proposals)
            if choice.chosen == nil {
                choice.chosen = bound
            } else if match.pattern.source == .learned, choice.similar.count < similarLimit {
                choice.similar.append(bound)
            }
        }
        return choice
    }
}
