/// Port: what the Prometheus metrics read from the local database besides the host states:
/// running totals, the journal's depth and the outbox's. Live: the local SQLite database.
public protocol MetricsReads: Sendable {
    /// The running totals over every row the store holds.
    func storeCounters() throws -> StoreCounters
    /// Rows waiting for PostgreSQL.
    func depth() throws -> JournalDepth
    /// How full the notification outbox is.
    func outboxDepth() throws -> OutboxDepth
}

/// The store's running totals, for the Prometheus counters: read from the store each time,
/// so they survive restarts and never go backwards while rows are only added. SQLite sums
/// its tables; PostgreSQL keeps them as counter rows updated when rows are written, so every
/// runner reads the fleet's totals cheaply.
public struct StoreCounters: Sendable, Equatable {
    /// Alert events by triage decision (`unknown`: recorded before triage).
    public var alertsByDecision: [String: Int] = [:]
    /// Remediation attempts by tier and outcome.
    public var remediations: [(tier: Int, outcome: String, count: Int)] = []
    public var llmCalls = 0
    public var llmErrors = 0
    public var tokensIn = 0
    public var tokensOut = 0
    public var costUSD = 0.0

    public init() {}

    public static func == (a: StoreCounters, b: StoreCounters) -> Bool {
        a.alertsByDecision == b.alertsByDecision && a.remediations.map(\.tier) == b.remediations.map(\.tier)
            && a.remediations.map(\.outcome) == b.remediations.map(\.outcome) && a.remediations.map(\.count) == b.remediations.map(\.count)
            && a.llmCalls == b.llmCalls && a.llmErrors == b.llmErrors && a.tokensIn == b.tokensIn && a.tokensOut == b.tokensOut
            && a.costUSD == b.costUSD
    }
}

/// Files per spool folder.
public struct SpoolBacklog: Sendable, Equatable, Codable {
    public var incoming: Int
    public var processing: Int
    public var rejected: Int

    public init(incoming: Int, processing: Int, rejected: Int) {
        self.incoming = incoming
        self.processing = processing
        self.rejected = rejected
    }
}
