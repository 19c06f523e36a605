/// One remediation attempt in `remediation_log`: the intent is written before anything runs,
/// the outcome after; an intent that never got an outcome (the process died, the connection
/// was lost) is never run again automatically.
public struct RemediationRecord: Sendable, Equatable {
    /// `remediation/<event key>#<decided at>`: one attempt per triaged notification.
    public var key: String
    public var occurrenceKey: String
    public var alertKey: String
    public var alertname: String
    public var host: String
    public var tier: Int
    public var patternID: Int64?
    /// The resolved commands (argv lists) as a JSON array of arrays.
    public var commandsJSON: String
    public var intentAt: Timestamp
    public var outcome: RemediationOutcome
    public var outcomeAt: Timestamp?
    public var exitStatus: Int?
    public var stdout: String
    public var stderr: String
    public var verification: VerificationVerdict
    public var tokensIn: Int
    public var tokensOut: Int
    public var costUSD: Double
    public var escalated: Bool
    public var error: String?
    public var approval: ApprovalState?
    public var planSummary: String
    public var runner: String

    public init(
        key: String, occurrenceKey: String, alertKey: String, alertname: String, host: String, tier: Int, patternID: Int64? = nil,
        commandsJSON: String = "[]", intentAt: Timestamp, outcome: RemediationOutcome = .pending, outcomeAt: Timestamp? = nil,
        exitStatus: Int? = nil, stdout: String = "", stderr: String = "", verification: VerificationVerdict = .pending, tokensIn: Int = 0,
        tokensOut: Int = 0, costUSD: Double = 0, escalated: Bool = false, error: String? = nil, approval: ApprovalState? = nil,
        planSummary: String = "", runner: String = ""
    ) {
        self.key = key
        self.occurrenceKey = occurrenceKey
        self.alertKey = alertKey
        self.alertname = alertname
        self.host = host
        self.tier = tier
        self.patternID = patternID
        self.commandsJSON = commandsJSON
        self.intentAt = intentAt
        self.outcome = outcome
        self.outcomeAt = outcomeAt
        self.exitStatus = exitStatus
        self.stdout = stdout
        self.stderr = stderr
        self.verification = verification
        self.tokensIn = tokensIn
        self.tokensOut = tokensOut
        self.costUSD = costUSD
        self.escalated = escalated
        self.error = error
        self.approval = approval
        self.planSummary = planSummary
        self.runner = runner
    }
}

/// Which attempts to list.
public enum RemediationFilter: Sendable {
    /// Intents whose outcome never came (a crash or a lost connection): escalate, never re-run.
    case intentWithoutOutcome
    /// Commands that ran and succeeded, waiting for the alert to resolve.
    case awaitingVerification
    /// High-risk plans parked for `jarvis approve` / `jarvis reject`.
    case awaitingApproval
    case key(String)
    case id(Int64)
    case all
}
