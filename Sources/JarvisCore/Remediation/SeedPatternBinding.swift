/// The result of `SeedPattern.bind(to:)`.
public enum SeedPatternBinding: Sendable, Equatable, Hashable {
    /// The pattern applies; these are its actions with the labels filled in (still to be checked by the policy).
    case bound([ActionProposal])
    /// The pattern does not apply to this alert, and why.
    case ineligible(reason: String)

    /// The proposals, or nil when ineligible.
    public var proposals: [ActionProposal]? {
        if case .bound(let proposals) = self { return proposals }
        return nil
    }

    /// The reason, or nil when bound.
    public var ineligibleReason: String? {
        if case .ineligible(let reason) = self { return reason }
        return nil
    }
}
