import JarvisCore

/// A settled verdict waiting for the learning pass (SQLite's `learning_feedback` row).
public struct LearningFeedback: Sendable, Equatable {
    /// The attempt's key (`remediation/<event key>#n`).
    public var remediationKey: String
    /// True when the alert resolved after the fix.
    public var verified: Bool
    /// When the verdict was settled.
    public var at: Timestamp
}

/// An occurrence a pattern has counted.
struct PatternEvidence: Hashable, Sendable {
    var patternID: Int64
    var occurrenceKey: String
}

/// Learning in memory: the same steps as the SQLite journal's, over `Contents`.
extension InMemoryJournal {
    /// Teaches the patterns every settled verdict after the cursor, one write per outcome
    /// (its counts, events and the cursor together).
    public func learn(forward: Bool, now: Timestamp, runner: String, shouldStop: () -> Bool) throws -> LearnReport {
        try LearnReport.teach(
            step: { try write { try Self.teachNext(forward: forward, now: now, into: &$0) } },
            pending: { read { $0.learnCursor < $0.feedback.count } }, shouldStop: shouldStop)
    }

    /// One feedback row per attempt, for a verified or failed verdict.
    static func recordFeedback(_ record: RemediationRecord, forward: Bool, now: Timestamp, into contents: inout Contents) {
        guard record.verification == .verified || record.verification == .failed,
            !contents.feedback.contains(where: { $0.remediationKey == record.key })
        else { return }
        contents.feedback.append(LearningFeedback(remediationKey: record.key, verified: record.verification == .verified, at: now))
        guard forward else { return }
        var row = JSONWriter()
        row.field("idempotency_key", "feedback/" + record.key)
        row.field("remediation_key", record.key)
        row.field("outcome", record.verification == .verified ? "success" : "failure")
        let json = row.finish()
        enqueue(
            { JournalEntry(seq: $0, table: "learning_feedback", idempotencyKey: "feedback/" + record.key, json: json, createdAt: now) },
            into: &contents)
    }

    private static func teachNext(forward: Bool, now: Timestamp, into contents: inout Contents) throws -> LearnStep? {
        guard contents.learnCursor < contents.feedback.count else { return nil }
        let feedback = contents.feedback[contents.learnCursor]
        contents.learnCursor += 1
        guard let record = contents.remediations.first(where: { $0.key == feedback.remediationKey }) else { return .nothing }
        let firing = contents.eventIDs[record.occurrenceKey + "/firing"].map { contents.events[$0].event.alert.labels }
        let outcome = SettledOutcome(
            remediationKey: record.key, occurrenceKey: record.occurrenceKey, alertKey: record.alertKey,
            labels: firing ?? ["alertname": record.alertname], patternID: record.patternID, tier: record.tier,
            actions: PatternDocument.actions(fromJSON: record.commandsJSON) ?? [], summary: record.planSummary, verified: feedback.verified,
            at: feedback.at)
        return try PatternLearning.teach(
            outcome, now: now, byID: { id in contents.patterns.first { $0.id == id } }, byKey: { key in contents.patterns.first { $0.key == key } },
            counted: { contents.evidence.contains(PatternEvidence(patternID: $0, occurrenceKey: $1)) },
            save: { pattern in
                if pattern.id == 0 {
                    pattern.id = contents.patterns.first { $0.key == pattern.key }?.id ?? (contents.patterns.map(\.id).max() ?? 0) + 1
                }
                let saved = pattern
                contents.patterns.removeAll { $0.id == saved.id }
                contents.patterns.append(saved)
                contents.patterns.sort { $0.id < $1.id }
                guard forward else { return }
                var row = JSONWriter()
                row.field("idempotency_key", saved.key)
                row.field("id", saved.id)
                row.field("success_count", Int64(saved.successes))
                row.field("failure_count", Int64(saved.failures))
                let json = row.finish()
                enqueue(
                    { JournalEntry(seq: $0, table: "remediation_patterns", idempotencyKey: saved.key, json: json, createdAt: now) },
                    into: &contents)
            },
            record: { pattern, events in
                contents.evidence.insert(PatternEvidence(patternID: pattern.id, occurrenceKey: outcome.occurrenceKey))
                for event in events where !contents.patternEvents.contains(where: { $0.key == event.key }) {
                    contents.patternEvents.append(event)
                }
            })
    }
}
