/// One recorded notification with what was decided for it then (for `jarvis replay`).
public struct RecordedNotification: Sendable {
    public var event: AlertEvent
    /// The triage decision kind recorded when it arrived (nil: recorded before triage).
    public var decision: String?
    /// The tier of the remediation attempt for its occurrence, if one was made.
    public var tier: Int?
    /// LLM tokens (in + out) that attempt spent.
    public var tokens: Int

    public init(event: AlertEvent, decision: String? = nil, tier: Int? = nil, tokens: Int = 0) {
        self.event = event
        self.decision = decision
        self.tier = tier
        self.tokens = tokens
    }
}
