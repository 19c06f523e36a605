/// How much harm a catalog action can do if it is the wrong fix.
///
/// The command policy runs `low` and `medium` actions on its own and escalates `high` ones for a
/// person's approval (`jarvis approve ID`); see `PolicyContext.approvalRisk`.
public enum ActionRisk: String, Sendable, Hashable, Codable, CaseIterable, Comparable, CustomStringConvertible {
    /// Read-only, or a restart of one container that comes back by itself.
    case low
    /// Restarts a service or frees space: interrupts something, loses nothing.
    case medium
    /// Touches many things at once or could cut jarvis off: never run without approval.
    case high

    /// The order `low < medium < high`.
    public static func < (lhs: ActionRisk, rhs: ActionRisk) -> Bool { lhs.rank < rhs.rank }

    /// `low`, `medium` or `high`.
    public var description: String { rawValue }

    private var rank: Int {
        switch self {
        case .low: return 0
        case .medium: return 1
        case .high: return 2
        }
    }
}
