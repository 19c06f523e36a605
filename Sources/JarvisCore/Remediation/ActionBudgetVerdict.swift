/// What `ActionBudget` says about starting one more action.
public enum ActionBudgetVerdict: Sendable, Equatable, Hashable {
    /// It may start.
    case allowed
    /// The host already has `inFlight` actions running, the most allowed (`limit`).
    case hostBusy(host: String, inFlight: Int, limit: Int)
    /// `count` actions started within the rolling window, the most allowed being `limit`;
    /// a slot frees at `nextSlotAt`.
    case rateLimited(count: Int, limit: Int, nextSlotAt: Timestamp)

    /// True when the action may start.
    public var isAllowed: Bool { self == .allowed }

    /// Why not, in words safe to print; nil when allowed.
    public var reason: String? {
        switch self {
        case .allowed:
            return nil
        case .hostBusy(let host, let inFlight, let limit):
            return "host \(host) already has \(inFlight) action(s) in flight (limit \(limit))"
        case .rateLimited(let count, let limit, let nextSlotAt):
            return "\(count) actions in the last window (limit \(limit)); next slot at \(nextSlotAt)"
        }
    }
}
