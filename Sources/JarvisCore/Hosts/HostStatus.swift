/// The persisted availability record of one host: everything `HostStateMachine` needs to
/// carry on in the next process.
///
/// Encoded with snake_case keys so it can be stored as JSON or as table columns.
public struct HostStatus: Sendable, Codable, Equatable, Hashable {
    /// The host's name in the inventory.
    public var host: String
    /// Current state.
    public var state: HostState
    /// When the host entered `state` (nil: never changed since jarvis first saw it).
    public var since: Timestamp?
    /// Failed logical attempts in a row; reset by a success.
    public var consecutiveFailures: Int
    /// Last successful SSH session or command.
    public var lastSuccessAt: Timestamp?
    /// Error of the last failed attempt, cleared by a success.
    public var lastError: String?
    /// Last time anything was tried against the host (attempt or probe), for the re-check interval.
    public var lastCheckedAt: Timestamp?

    /// Creates a status; a new host starts ONLINE with no history.
    ///
    /// - Parameters:
    ///   - host: Host name.
    ///   - state: Current state.
    ///   - since: When the state was entered.
    ///   - consecutiveFailures: Failed attempts in a row.
    ///   - lastSuccessAt: Last success.
    ///   - lastError: Error of the last failure.
    ///   - lastCheckedAt: Last attempt or probe.
    public init(
        host: String, state: HostState = .online, since: Timestamp? = nil, consecutiveFailures: Int = 0,
        lastSuccessAt: Timestamp? = nil, lastError: String? = nil, lastCheckedAt: Timestamp? = nil
    ) {
        self.host = host
        self.state = state
        self.since = since
        self.consecutiveFailures = consecutiveFailures
        self.lastSuccessAt = lastSuccessAt
        self.lastError = lastError
        self.lastCheckedAt = lastCheckedAt
    }

    /// Storage keys, in snake_case.
    public enum CodingKeys: String, CodingKey {
        case host
        case state
        case since
        case consecutiveFailures = "consecutive_failures"
        case lastSuccessAt = "last_success_at"
        case lastError = "last_error"
        case lastCheckedAt = "last_checked_at"
    }

    /// Decodes a status; instants are RFC 3339 strings.
    ///
    /// - Throws: `DecodingError` for a missing `host` or `state`, or a malformed instant.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        host = try container.decode(String.self, forKey: .host)
        state = try container.decode(HostState.self, forKey: .state)
        since = try HostTimestampCoding.decode(container, .since)
        consecutiveFailures = try container.decodeIfPresent(Int.self, forKey: .consecutiveFailures) ?? 0
        lastSuccessAt = try HostTimestampCoding.decode(container, .lastSuccessAt)
        lastError = try container.decodeIfPresent(String.self, forKey: .lastError)
        lastCheckedAt = try HostTimestampCoding.decode(container, .lastCheckedAt)
    }

    /// Encodes the status; instants become RFC 3339 strings, nil values are left out.
    ///
    /// - Throws: What the encoder throws.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(host, forKey: .host)
        try container.encode(state, forKey: .state)
        try HostTimestampCoding.encode(since, &container, .since)
        try container.encode(consecutiveFailures, forKey: .consecutiveFailures)
        try HostTimestampCoding.encode(lastSuccessAt, &container, .lastSuccessAt)
        try container.encodeIfPresent(lastError, forKey: .lastError)
        try HostTimestampCoding.encode(lastCheckedAt, &container, .lastCheckedAt)
    }
}
