/// The bounds of one diagnosis, and the sizes of what reaches the model.
public struct DiagnosisLimits: Sendable, Equatable {
    /// Diagnostic tool calls per diagnosis (unknown tools count); `propose_plan` does not count.
    public var maxToolCalls: Int
    /// Seconds from the start of the diagnosis to its end, retries and diagnostics included.
    public var wallTimeSeconds: Double
    /// Input plus output tokens over all calls; no new call starts once it is spent.
    public var tokenBudget: Int
    /// Retries of one call after 429, 529, 5xx or a transport failure.
    public var maxRetriesPerCall: Int
    /// The first backoff; it doubles per retry up to `maxBackoffSeconds`. A 429's
    /// `retry-after` replaces it.
    public var initialBackoffSeconds: Double
    public var maxBackoffSeconds: Double
    /// UTF-8 bytes of each alert label or annotation value shown to the model.
    public var alertValueBytes: Int
    /// UTF-8 bytes of the whole quoted alert document.
    public var alertDataBytes: Int
    /// UTF-8 bytes of each diagnostic's output given back to the model.
    public var toolOutputBytes: Int
    /// Actions a plan may hold; more is malformed.
    public var maxProposedActions: Int
    /// Ask the provider to make the model call a tool on every turn (Anthropic `any`, OpenAI
    /// `required`) so that it cannot end with prose. Turn off for local servers that reject it.
    public var requireToolUse: Bool

    public init(
        maxToolCalls: Int = 8, wallTimeSeconds: Double = 60, tokenBudget: Int = 50_000, maxRetriesPerCall: Int = 3,
        initialBackoffSeconds: Double = 1, maxBackoffSeconds: Double = 20, alertValueBytes: Int = 512, alertDataBytes: Int = 4096,
        toolOutputBytes: Int = 8192, maxProposedActions: Int = 10, requireToolUse: Bool = true
    ) {
        self.maxToolCalls = maxToolCalls
        self.wallTimeSeconds = wallTimeSeconds
        self.tokenBudget = tokenBudget
        self.maxRetriesPerCall = maxRetriesPerCall
        self.initialBackoffSeconds = initialBackoffSeconds
        self.maxBackoffSeconds = maxBackoffSeconds
        self.alertValueBytes = alertValueBytes
        self.alertDataBytes = alertDataBytes
        self.toolOutputBytes = toolOutputBytes
        self.maxProposedActions = maxProposedActions
        self.requireToolUse = requireToolUse
    }
}
