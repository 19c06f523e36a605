/// The triage rows `commitTriage` writes with the state document that commits them.
public struct TriageRowCommit: Sendable {
    /// The last rows of the run.
    public var rows: [TriageStateRow]
    /// The run's generation, committed by the document saved in the same transaction.
    public var generation: Int64
    /// Also drop expired and deleted rows.
    public var prune: Bool

    public init(rows: [TriageStateRow], generation: Int64, prune: Bool) {
        self.rows = rows
        self.generation = generation
        self.prune = prune
    }
}
