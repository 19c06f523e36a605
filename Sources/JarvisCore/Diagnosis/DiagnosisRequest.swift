/// What the agent diagnoses: one alert, the host it was routed to, and a learned hint if any.
public struct DiagnosisRequest: Sendable, Equatable {
    /// The alert; its labels and annotations reach the model only as quoted, length-limited data.
    public var alert: Alert
    /// The inventory host the alert was routed to (trusted: it comes from the inventory).
    public var host: String?
    /// Tier 2: a learned pattern offered as a suggestion.
    public var hint: DiagnosisHint?
    /// Command sets already tried for this alert key that failed (the model is asked not to
    /// propose them again, or to say why it does).
    public var failedPlans: [FailedCommandSet]

    public init(alert: Alert, host: String? = nil, hint: DiagnosisHint? = nil, failedPlans: [FailedCommandSet] = []) {
        self.alert = alert
        self.host = host
        self.hint = hint
        self.failedPlans = failedPlans
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
    /// Other learned fixes of similar symptoms ("historical patterns"), best first.
    public var similarFixes: [PastFix]

    /// A learned fix of a similar symptom.
    public struct PastFix: Sendable, Equatable {
        public var actions: [ActionProposal]
        /// Jaccard similarity of its symptom to this alert's, 0…1.
        public var similarity: Double
        /// `s/t verified`.
        public var evidence: String

        public init(actions: [ActionProposal], similarity: Double, evidence: String) {
            self.actions = actions
            self.similarity = similarity
            self.evidence = evidence
        }
    }

    public init(actions: [ActionProposal], confidence: Double, verifiedSuccesses: Int, similarFixes: [PastFix] = []) {
        self.actions = actions
        self.confidence = confidence
        self.verifiedSuccesses = verifiedSuccesses
        self.similarFixes = similarFixes
    }
}
