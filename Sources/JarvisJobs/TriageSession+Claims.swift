import JarvisCore

extension TriageSession {
    /// Records a later decision about an actionable alert that this runner will not act on
    /// (another runner claimed it, or the attempts across runners are spent); it is written
    /// with the state at `finish`.
    mutating func recordClaimLost(_ triaged: Triaged, kind: String = TriageDecision.deduplicated.kind, reason: String) {
        redecisions.append(
            Redecision(
                eventKey: triaged.alert.occurrence.idempotencyKey(status: triaged.alert.status), alertKey: triaged.alert.alertKey.description,
                decision: RecordedDecision(kind: kind, reason: reason)))
    }
}
