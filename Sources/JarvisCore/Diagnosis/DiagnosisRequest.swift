/// What the agent diagnoses: one alert, the host it was routed to, and a learned hint if any.
public struct DiagnosisRequest: Sendable, Equatable {
    /// The alert; its labels and annotations reach the model only as quoted, length-limited data.
    public var alert: Alert
    /// The inventory host the alert was routed to (trusted: it comes from the inventory).
    public var host: String?
    /// Tier 2: a learned pattern offered as a suggestion.
    public var hint: DiagnosisHint?

    public init(alert: Alert, host: String? = nil, hint: DiagnosisHint? = nil) {
        self.alert = alert
        self.host = host
        self.hint = hint
    }
}

/// Tier 2: a learned pattern with medium confidence, shown to the model as a suggestion that it
/// should check, not follow blindly.
public struct DiagnosisHint: Sendable, Equatable {
    /// The pattern's actions.
    public var actions: [ActionProposal]
    /// The pattern's confidence, 0…1.
    public var confidence: Double
    /// Verified successes on distinct occurrences.
    public var verifiedSuccesses: Int

    public init(actions: [ActionProposal], confidence: Double, verifiedSuccesses: Int) {
        self.actions = actions
        self.confidence = confidence
        self.verifiedSuccesses = verifiedSuccesses
    }
}
