/// What the command policy says about one proposal.
public enum PolicyVerdict: Sendable, Equatable, Hashable {
    /// It may run as resolved (subject to the rate limits of `ActionBudget`).
    case allowed(ResolvedCommand)
    /// It resolved, but its risk needs a person's approval (`jarvis approve ID`): escalate, never run.
    case needsApproval(ResolvedCommand, reason: String)
    /// It must not run.
    case rejected(PolicyRejection)

    /// The resolved command, when there is one (allowed or awaiting approval).
    public var command: ResolvedCommand? {
        switch self {
        case .allowed(let command), .needsApproval(let command, _): return command
        case .rejected: return nil
        }
    }

    /// The rejection, when rejected.
    public var rejection: PolicyRejection? {
        if case .rejected(let rejection) = self { return rejection }
        return nil
    }

    /// True when the command may run now.
    public var isAllowed: Bool {
        if case .allowed = self { return true }
        return false
    }
}
