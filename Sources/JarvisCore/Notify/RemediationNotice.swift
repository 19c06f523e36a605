/// What people are told about one remediation attempt (remediated or failed).
///
/// Alert text (`summary`, `output`) is untrusted: it is only ever shown inside the embed.
public struct RemediationNotice: Sendable, Equatable {
    /// The remediation's idempotency key (`remediation_log.idempotency_key`): one message per attempt.
    public var remediationKey: String
    /// `alertname/instance`.
    public var alertKey: String
    /// The occurrence, `fingerprint@startsAt`.
    public var occurrence: String
    /// The host it ran on, if any.
    public var host: String?
    /// The alert's `severity` label.
    public var severity: String?
    /// The alert's `summary` (or `description`) annotation.
    public var summary: String?
    /// What was done, e.g. `docker.restart container=nginx`.
    public var action: String
    /// The commands that ran, one per line.
    public var commands: [String]
    /// 1 = learned pattern, 2 = pattern as a hint, 3 = LLM diagnosis; nil when not known.
    public var tier: Int?
    /// Verification or error detail, e.g. `alert resolved after 40s` or `exit status 1`.
    public var detail: String?
    /// Excerpt of the command's output.
    public var output: String?
    /// When the outcome was known.
    public var at: Timestamp

    /// Creates a notice.
    /// - Parameters:
    ///   - remediationKey: The remediation's idempotency key.
    ///   - alertKey: `alertname/instance`.
    ///   - occurrence: `fingerprint@startsAt`.
    ///   - host: The host.
    ///   - severity: The `severity` label.
    ///   - summary: The alert's summary annotation.
    ///   - action: What was done.
    ///   - commands: The commands run.
    ///   - tier: The decision tier.
    ///   - detail: Verification or error detail.
    ///   - output: Output excerpt.
    ///   - at: When.
    public init(
        remediationKey: String, alertKey: String, occurrence: String, host: String? = nil, severity: String? = nil, summary: String? = nil,
        action: String, commands: [String] = [], tier: Int? = nil, detail: String? = nil, output: String? = nil, at: Timestamp
    ) {
        self.remediationKey = remediationKey
        self.alertKey = alertKey
        self.occurrence = occurrence
        self.host = host
        self.severity = severity
        self.summary = summary
        self.action = action
        self.commands = commands
        self.tier = tier
        self.detail = detail
        self.output = output
        self.at = at
    }
}

/// What people are told when the command policy refused a proposed action.
public struct CommandRejection: Sendable, Equatable {
    /// Unique per refusal, e.g. the remediation's idempotency key.
    public var key: String
    /// `alertname/instance`.
    public var alertKey: String
    /// The occurrence, `fingerprint@startsAt`.
    public var occurrence: String
    /// The host it would have run on.
    public var host: String?
    /// The proposed action, e.g. `shell.run`.
    public var action: String
    /// Who proposed it: `pattern #12`, `LLM`.
    public var proposer: String
    /// The policy's reason.
    public var reason: String
    /// When.
    public var at: Timestamp

    /// Creates a rejection notice.
    /// - Parameters:
    ///   - key: Unique per refusal.
    ///   - alertKey: `alertname/instance`.
    ///   - occurrence: `fingerprint@startsAt`.
    ///   - host: The host.
    ///   - action: The proposed action.
    ///   - proposer: Who proposed it.
    ///   - reason: Why it was refused.
    ///   - at: When.
    public init(
        key: String, alertKey: String, occurrence: String, host: String? = nil, action: String, proposer: String, reason: String, at: Timestamp
    ) {
        self.key = key
        self.alertKey = alertKey
        self.occurrence = occurrence
        self.host = host
        self.action = action
        self.proposer = proposer
        self.reason = reason
        self.at = at
    }
}
