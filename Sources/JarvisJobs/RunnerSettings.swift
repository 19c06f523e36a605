/// How this runner relates to others sharing its PostgreSQL (`runner:`).
///
/// Claims need no setting: whenever PostgreSQL is configured and answers, a runner claims
/// each attempt there before acting, so runners pointed at one database act once. These
/// settings only say what to do while PostgreSQL is away.
public struct RunnerSettings: Sendable, Equatable {
    /// `single`: this is the only runner, so it acts on its own while PostgreSQL is away.
    /// `shared`: other runners may get the same alerts, so without PostgreSQL (no claim
    /// possible) it records and escalates but never acts.
    public enum Mode: String, Sendable, CaseIterable {
        case single
        case shared
    }

    /// The other runners' names (documentation, and: non-empty means shared) [none].
    public var peers: [String] = []
    /// [single]
    public var mode = Mode.single

    public init() {}

    /// True when other runners may act on the same alerts: then no action without a claim.
    public var isShared: Bool { mode == .shared || !peers.isEmpty }
}
