/// One change of a host's state: a row of `host_status_log` and one notification.
///
/// The state machine emits one per transition, never one per attempt.
public struct HostTransition: Sendable, Codable, Equatable, Hashable {
    /// Host name.
    public var host: String
    /// State before.
    public var from: HostState
    /// State after.
    public var to: HostState
    /// When the event that caused it happened.
    public var at: Timestamp
    /// Error of the attempt that caused it (nil for probes answered and successes).
    public var error: String?
    /// Consecutive failed attempts at that moment.
    public var consecutiveFailures: Int
    /// Last success known at that moment.
    public var lastSuccessAt: Timestamp?

    /// Creates a transition.
    ///
    /// - Parameters:
    ///   - host: Host name.
    ///   - from: State before.
    ///   - to: State after.
    ///   - at: When.
    ///   - error: Error of the attempt that caused it.
    ///   - consecutiveFailures: Failures in a row at that moment.
    ///   - lastSuccessAt: Last success at that moment.
    public init(
        host: String, from: HostState, to: HostState, at: Timestamp, error: String?, consecutiveFailures: Int, lastSuccessAt: Timestamp?
    ) {
        self.host = host
        self.from = from
        self.to = to
        self.at = at
        self.error = error
        self.consecutiveFailures = consecutiveFailures
        self.lastSuccessAt = lastSuccessAt
    }

    /// Storage keys, in snake_case (the columns of `host_status_log`).
    public enum CodingKeys: String, CodingKey {
        case host
        case from = "from_state"
        case to = "to_state"
        case at
        case error
        case consecutiveFailures = "consecutive_failures"
        case lastSuccessAt = "last_success_at"
    }

    /// Decodes a transition; instants are RFC 3339 strings.
    ///
    /// - Throws: `DecodingError` for a missing key or a malformed instant.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        host = try container.decode(String.self, forKey: .host)
        from = try container.decode(HostState.self, forKey: .from)
        to = try container.decode(HostState.self, forKey: .to)
        guard let instant = try HostTimestampCoding.decode(container, .at) else {
            throw DecodingError.keyNotFound(
                CodingKeys.at, DecodingError.Context(codingPath: container.codingPath, debugDescription: "at is required"))
        }
        at = instant
        error = try container.decodeIfPresent(String.self, forKey: .error)
        consecutiveFailures = try container.decode(Int.self, forKey: .consecutiveFailures)
        lastSuccessAt = try HostTimestampCoding.decode(container, .lastSuccessAt)
    }

    /// Encodes the transition; instants become RFC 3339 strings.
    ///
    /// - Throws: What the encoder throws.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(host, forKey: .host)
        try container.encode(from, forKey: .from)
        try container.encode(to, forKey: .to)
        try HostTimestampCoding.encode(at, &container, .at)
        try container.encodeIfPresent(error, forKey: .error)
        try container.encode(consecutiveFailures, forKey: .consecutiveFailures)
        try HostTimestampCoding.encode(lastSuccessAt, &container, .lastSuccessAt)
    }
}
