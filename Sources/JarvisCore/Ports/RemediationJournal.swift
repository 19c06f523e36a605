/// What the remediation stage reads and writes: the remediation log (intents before anything
/// runs, outcomes after), verification evidence, the learned patterns, and the learning pass.
///
/// Live: `JournalDatabase`. In tests: `InMemoryJournal`.
public protocol RemediationJournal: JournalStateDocuments {
    /// Attempts matching `filter`, oldest first, at most `limit`.
    func remediations(where filter: RemediationFilter, limit: Int) throws -> [RemediationRecord]

    /// Every attempt recorded for one alert event (`remediation/<event key>#n`), in order.
    func attempts(eventKey: String) throws -> [RemediationRecord]

    /// Writes an intent. - Returns: false when an attempt with that key exists already
    /// (nothing is written).
    func recordIntent(_ record: RemediationRecord, forward: Bool, now: Timestamp) throws -> Bool

    /// Rewrites an attempt (its outcome, approval…).
    func updateRemediation(_ record: RemediationRecord, forward: Bool, now: Timestamp) throws

    /// Rewrites an attempt with its verification verdict and, for a verdict, the feedback row
    /// the learning pass reads.
    func settleVerification(_ record: RemediationRecord, forward: Bool, now: Timestamp) throws

    /// The local id of an attempt (`jarvis approve ID`).
    func remediationID(key: String) throws -> Int64?

    /// When attempts that ran commands started since `time` (the hourly budget).
    func actionsStarted(since time: Timestamp) throws -> [Timestamp]

    /// When the occurrence's resolved notification arrived, if it did.
    func resolvedAt(occurrence: String) throws -> Timestamp?

    /// The labels of the occurrence's firing notification.
    func labels(occurrence: String) throws -> [String: String]?

    /// The learned patterns, by id.
    func patterns() throws -> [LearnedPattern]

    /// Records a symptom fingerprint (once per fingerprint).
    func recordFingerprint(_ symptom: SymptomFingerprint, forward: Bool, now: Timestamp) throws

    /// The command sets that failed for an alert key, with how often.
    func failedCommandSets(alertKey: String) throws -> [FailedCommandSet]

    /// Teaches the patterns from the outcomes settled since the last pass.
    func learn(forward: Bool, now: Timestamp, runner: String, shouldStop: () -> Bool) throws -> LearnReport
}
