/// One settled remediation outcome that teaches: its verification was `verified` (the alert
/// resolved after the fix) or `failed` (it did not). Unverified outcomes never get here.
public struct SettledOutcome: Sendable, Equatable {
    /// `remediation_log.idempotency_key`.
    public var remediationKey: String
    /// The occurrence it answered (`fingerprint@startsAt`): successes count once per occurrence.
    public var occurrenceKey: String
    public var alertKey: String
    /// The labels of the occurrence's firing notification.
    public var labels: [String: String]
    /// The pattern the attempt used (tier 1) or was hinted with (tier 2, or a seed at tier 3).
    public var patternID: Int64?
    public var tier: Int
    /// The actions that ran, with their concrete parameter values.
    public var actions: [ActionProposal]
    /// The plan's one-line summary.
    public var summary: String
    /// True for verified, false for a failed verification.
    public var verified: Bool
    /// When the outcome was settled.
    public var at: Timestamp

    public init(
        remediationKey: String, occurrenceKey: String, alertKey: String, labels: [String: String], patternID: Int64?, tier: Int,
        actions: [ActionProposal], summary: String = "", verified: Bool, at: Timestamp
    ) {
        self.remediationKey = remediationKey
        self.occurrenceKey = occurrenceKey
        self.alertKey = alertKey
        self.labels = labels
        self.patternID = patternID
        self.tier = tier
        self.actions = actions
        self.summary = summary
        self.verified = verified
        self.at = at
    }
}

/// A change to a pattern, as recorded in `pattern_events`.
public struct PatternEvent: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        case learned, promoted, demoted, disabled, enabled
    }

    /// Unique per change: replaying the outcome that caused it gives the same key.
    public var key: String
    public var patternID: Int64
    public var kind: Kind
    public var fromTier: FixTier?
    public var toTier: FixTier?
    /// The outcome that caused it (`remediation_log.idempotency_key`), nil for a person's change.
    public var remediationKey: String?
    public var at: Timestamp
    /// The runner that made the change (empty when not known).
    public var runner: String

    public init(
        key: String, patternID: Int64, kind: Kind, fromTier: FixTier?, toTier: FixTier?, remediationKey: String?, at: Timestamp, runner: String = ""
    ) {
        self.runner = runner
        self.key = key
        self.patternID = patternID
        self.kind = kind
        self.fromTier = fromTier
        self.toTier = toTier
        self.remediationKey = remediationKey
        self.at = at
    }
}

/// What the learning engine does with one settled outcome (pure: the journal looks patterns
/// up and stores the result in one transaction).
public enum PatternLearning {
    /// A command set that failed this many times for an alert key is not proposed again
    /// without a person [2].
    public static let failureLimit = 2

    /// Which pattern an outcome teaches.
    public enum Target: Sendable, Equatable {
        /// The pattern the attempt used: its bound actions are what ran.
        case used(LearnedPattern)
        /// The pattern extracted from what ran (stored already, or new when `pattern.id == 0`).
        case extracted(LearnedPattern)
        /// Nothing to learn (a failure of a plan no pattern holds).
        case none
    }

    /// The pattern `outcome` teaches.
    ///
    /// - Parameters:
    ///   - outcome: The settled outcome.
    ///   - attributed: The pattern with `outcome.patternID`, if it still exists.
    ///   - stored: Looks a pattern up by key (`LearnedPattern.key`).
    public static func target(
        of outcome: SettledOutcome, attributed: LearnedPattern?, stored: (String) throws -> LearnedPattern?
    ) rethrows -> Target {
        let alert = Alert(status: .firing, labels: outcome.labels, startsAt: outcome.at)
        let ran = PatternCommands.key(outcome.actions)
        if let attributed, let bound = attributed.bind(to: alert).proposals, PatternCommands.key(bound) == ran {
            return .used(attributed)
        }
        let extracted = PatternExtraction.pattern(from: outcome.actions, alert: outcome.labels, summary: outcome.summary, now: outcome.at)
        if let existing = try stored(extracted.key) { return .extracted(existing) }
        return outcome.verified && !outcome.actions.isEmpty ? .extracted(extracted) : .none
    }

    /// The pattern after `outcome`, and the events to record.
    ///
    /// - Parameters:
    ///   - pattern: The target pattern (id 0 when new: the caller stores it and fixes the
    ///     events' `patternID`).
    ///   - outcome: The settled outcome, of an occurrence not counted for this pattern yet
    ///     (successes count distinct occurrences: the caller checks).
    ///   - now: The clock, for the decayed tiers.
    public static func apply(_ pattern: LearnedPattern, outcome: SettledOutcome, now: Timestamp) -> (LearnedPattern, [PatternEvent]) {
        var events: [PatternEvent] = []
        func event(_ kind: PatternEvent.Kind, from: FixTier?, to: FixTier?) -> PatternEvent {
            PatternEvent(
                key: "pattern-event/\(pattern.key)/\(kind.rawValue)/\(outcome.remediationKey)", patternID: pattern.id, kind: kind, fromTier: from,
                toTier: to, remediationKey: outcome.remediationKey, at: outcome.at)
        }
        let isNew = pattern.id == 0
        let before = pattern.tier(now: now)
        if isNew { events.append(event(.learned, from: nil, to: before)) }
        var after = pattern
        if outcome.verified { after.successes += 1 } else { after.failures += 1 }
        if after.lastUsedAt.map({ $0 < outcome.at }) ?? true { after.lastUsedAt = outcome.at }
        let tier = after.tier(now: now)
        if isNew {
            events[0].toTier = tier
        } else if tier < before {
            events.append(event(.promoted, from: before, to: tier))
        } else if tier > before {
            events.append(event(.demoted, from: before, to: tier))
        }
        return (after, events)
    }
}

extension PatternLearning {
    /// Teaches one settled outcome: finds its pattern, skips an occurrence counted already,
    /// applies the outcome and stores the result. Every learner (the local journal's,
    /// PostgreSQL's) takes these steps inside the one transaction that also moves its cursor.
    ///
    /// - Parameters:
    ///   - outcome: The settled outcome.
    ///   - now: The clock, for the decayed tiers.
    ///   - byID: The stored pattern with an id.
    ///   - byKey: The stored pattern with a key (`LearnedPattern.key`).
    ///   - counted: Whether an occurrence (second argument) was counted for a pattern id already.
    ///   - save: Stores the pattern (a new one gets its id here).
    ///   - record: Records the occurrence as the saved pattern's evidence and its events
    ///     (their `patternID` set to the saved pattern's).
    public static func teach(
        _ outcome: SettledOutcome, now: Timestamp, byID: (Int64) throws -> LearnedPattern?, byKey: (String) throws -> LearnedPattern?,
        counted: (Int64, String) throws -> Bool, save: (inout LearnedPattern) throws -> Void,
        record: (LearnedPattern, [PatternEvent]) throws -> Void
    ) throws -> LearnStep {
        let attributed = try outcome.patternID.flatMap(byID)
        let pattern: LearnedPattern
        switch try target(of: outcome, attributed: attributed, stored: byKey) {
        case .used(let used), .extracted(let used): pattern = used
        case .none: return .nothing
        }
        if pattern.id != 0, try counted(pattern.id, outcome.occurrenceKey) { return .repeated }
        var (after, events) = apply(pattern, outcome: outcome, now: now)
        try save(&after)
        for index in events.indices { events[index].patternID = after.id }
        try record(after, events)
        return .counted(events)
    }
}
