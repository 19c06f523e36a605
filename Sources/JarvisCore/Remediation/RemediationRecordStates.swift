/// What became of one remediation attempt. The raw values are the strings stored in
/// `remediation_log.outcome`, locally and in PostgreSQL.
public enum RemediationOutcome: String, Sendable, Hashable, Codable, CaseIterable {
    /// The intent is written and nothing is known yet (or it waits for approval).
    case pending
    /// Every command exited 0.
    case succeeded
    /// A command failed, or the diagnosis did.
    case failed
    /// The command policy refused the plan, or a person did.
    case rejected
    /// Nothing ran; a person was told.
    case escalated
    /// The intent has no outcome (jarvis stopped after writing it); never run again.
    case unknown
    /// Dry-run mode: the plan was recorded, nothing ran.
    case dryRun = "dry_run"
}

/// Where a high-risk plan parked for a person stands. The raw values are the strings stored
/// in `remediation_log.approval` (NULL for plans that needed no approval).
public enum ApprovalState: String, Sendable, Hashable, Codable, CaseIterable {
    case awaiting, approved, rejected
}
