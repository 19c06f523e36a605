/// What the attempt budget says about a firing alert key.
public enum BudgetAction: Sendable, Hashable, Codable {
    /// Attempts remain; `remaining` more may be made within the window.
    case allow(remaining: Int)
    /// The budget is spent and no escalation was sent within the cooldown: send one now.
    case escalate
    /// The key escalated within the cooldown: do nothing and say nothing.
    case silent
}
