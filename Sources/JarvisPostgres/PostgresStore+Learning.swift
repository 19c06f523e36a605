public import JarvisCore

/// Learning shared by every runner of this database (migration 10): PostgreSQL holds the
/// patterns and counts every runner's settled outcomes, each once.
///
/// One outcome is taught per transaction, which holds the advisory lock `jarvis/learn`
/// (learners on several runners take turns, one outcome at a time), reads the oldest
/// `learning_feedback` row not taught yet with its attempt and the alert's labels, changes
/// the pattern, records the occurrence in `pattern_evidence` and the changes in
/// `pattern_events`, and marks the row taught. A learner killed at any moment leaves either
/// all of that or none of it.
extension PostgresStore {
    /// The columns `pattern(_:row:offset:)` reads, in order, of `remediation_patterns p`.
    static let patternSelect = """
        p.id, p.idempotency_key, p.alertname, p.symptom_parts::text, p.commands::text, p.risk, p.success_count, p.failure_count, p.enabled,
        p.source, extract(epoch FROM p.last_used_at)::float8, extract(epoch FROM p.created_at)::float8, p.summary, p.required_labels::text
        """

    /// Teaches the oldest settled outcome no runner has taught yet.
    ///
    /// - Parameters:
    ///   - runner: Recorded as `learned_by` and with the events.
    ///   - now: The clock, for the decayed tiers.
    /// - Returns: What it did; nil when nothing is left to teach.
    /// - Throws: `PGError`.
    public func teachNextOutcome(runner: String, now: Timestamp) throws -> LearnStep? {
        try withConnection { connection in
            try connection.withTransaction { () throws -> LearnStep? in
                try connection.execute("SELECT pg_advisory_xact_lock(hashtextextended('jarvis/learn', 0))")
                let row = try connection.execute(
                    """
                    SELECT f.id, f.outcome, extract(epoch FROM f.recorded_at)::float8, r.idempotency_key, r.occurrence_key, r.alert_key,
                           r.alertname, r.pattern_id, r.tier, r.commands::text, r.plan_summary, e.labels::text
                    FROM learning_feedback f
                    JOIN remediation_log r ON r.idempotency_key = f.remediation_key
                    LEFT JOIN alert_events e ON e.idempotency_key = r.occurrence_key || '/firing'
                    WHERE f.learned_at IS NULL
                    ORDER BY f.id LIMIT 1 FOR UPDATE OF f SKIP LOCKED
                    """)
                guard row.rowCount > 0, let feedbackID = try row.int64(row: 0, column: 0) else { return nil }
                let alertname = row.string(row: 0, column: 6) ?? ""
                let labels = row.string(row: 0, column: 11).flatMap { try? JSONValue(parsing: $0) }?.objectValue?.compactMapValues(\.stringValue)
                let outcome = SettledOutcome(
                    remediationKey: row.string(row: 0, column: 3) ?? "", occurrenceKey: row.string(row: 0, column: 4) ?? "",
                    alertKey: row.string(row: 0, column: 5) ?? "", labels: labels ?? ["alertname": alertname],
                    patternID: try row.int64(row: 0, column: 7), tier: Int(try row.int64(row: 0, column: 8) ?? 3),
                    actions: PatternDocument.actions(fromJSON: row.string(row: 0, column: 9) ?? "[]") ?? [],
                    summary: row.string(row: 0, column: 10) ?? "", verified: row.string(row: 0, column: 1) == "success",
                    at: try row.double(row: 0, column: 2).map(Timestamp.init(epochSeconds:)) ?? now)
                let step = try PatternLearning.teach(
                    outcome, now: now,
                    byID: {
                        try Self.pattern(
                            connection, "SELECT \(unsafeSQL: Self.patternSelect) FROM remediation_patterns p WHERE p.id = \($0) FOR UPDATE")
                    },
                    byKey: {
                        try Self.pattern(
                            connection,
                            "SELECT \(unsafeSQL: Self.patternSelect) FROM remediation_patterns p WHERE p.idempotency_key = \($0) FOR UPDATE")
                    },
                    counted: {
                        try connection.execute("SELECT 1 FROM pattern_evidence WHERE pattern_id = \($0) AND occurrence_key = \($1)").rowCount > 0
                    },
                    save: { try Self.save(&$0, connection: connection, now: now) },
                    record: { pattern, events in
                        try connection.execute(
                            """
                            INSERT INTO pattern_evidence (pattern_id, occurrence_key, remediation_key)
                            VALUES (\(pattern.id), \(outcome.occurrenceKey), \(outcome.remediationKey)) ON CONFLICT DO NOTHING
                            """)
                        for e in events {
                            try connection.execute(
                                """
                                INSERT INTO pattern_events (idempotency_key, pattern_id, kind, from_tier, to_tier, remediation_key, recorded_at, runner)
                                VALUES (\(e.key), \(e.patternID), \(e.kind.rawValue), \(e.fromTier?.rawValue)::smallint, \(e.toTier?.rawValue)::smallint,
                                        \(e.remediationKey), \(e.at)::timestamptz, \(runner))
                                ON CONFLICT (idempotency_key) DO NOTHING
                                """)
                        }
                    })
                try connection.execute("UPDATE learning_feedback SET learned_at = now(), learned_by = \(runner) WHERE id = \(feedbackID)")
                return step
            }
        }
    }

    /// Whether a settled outcome (whose attempt has arrived) waits to be taught.
    ///
    /// - Throws: `PGError`.
    public func hasUntaughtOutcomes() throws -> Bool {
        try withConnection { connection in
            try connection.execute(
                """
                SELECT 1 FROM learning_feedback f JOIN remediation_log r ON r.idempotency_key = f.remediation_key
                WHERE f.learned_at IS NULL LIMIT 1
                """
            ).rowCount > 0
        }
    }

    /// The patterns changed by transactions at or after `cursor` (nil: every pattern), and
    /// the oldest transaction still running now: rows a running transaction changes are
    /// invisible now, and at or after that cursor next time.
    ///
    /// - Throws: `PGError`.
    public func patterns(changedSince cursor: String?) throws -> (patterns: [LearnedPattern], cursor: String) {
        try withConnection { connection in
            let result = try connection.execute(
                """
                WITH snap AS (SELECT pg_snapshot_xmin(pg_current_snapshot()) AS xmin)
                SELECT snap.xmin::text, \(unsafeSQL: Self.patternSelect)
                FROM snap LEFT JOIN remediation_patterns p ON (\(cursor)::text IS NULL OR p.changed_xid >= \(cursor)::xid8)
                ORDER BY p.id
                """)
            var patterns: [LearnedPattern] = []
            for index in 0..<result.rowCount { if let pattern = try Self.pattern(result, row: index, offset: 1) { patterns.append(pattern) } }
            return (patterns, result.string(row: 0, column: 0) ?? cursor ?? "")
        }
    }

    /// The one pattern `query` selects (`patternSelect`), if any.
    static func pattern(_ connection: PGConnection, _ query: PGQuery) throws -> LearnedPattern? {
        let result = try connection.execute(query)
        return result.rowCount > 0 ? try pattern(result, row: 0, offset: 0) : nil
    }

    /// A pattern from the `patternSelect` columns starting at `offset`; nil for a row with
    /// no pattern (the outer join's) or one whose actions cannot be read.
    static func pattern(_ result: PGResult, row: Int, offset: Int) throws -> LearnedPattern? {
        func text(_ column: Int) -> String? { result.string(row: row, column: offset + column) }
        func strings(_ column: Int) -> [String] { text(column).flatMap { try? JSONValue(parsing: $0) }?.arrayValue?.compactMap(\.stringValue) ?? [] }
        guard let id = try result.int64(row: row, column: offset), let key = text(1), let alertname = text(2),
            let actions = PatternDocument.actions(fromJSON: text(4) ?? ""), let source = text(9).flatMap(LearnedPattern.Source.init(rawValue:))
        else { return nil }
        let parts = strings(3)
        return LearnedPattern(
            id: id, key: key, symptom: SymptomFingerprint(alertname: alertname, parts: parts.isEmpty ? ["alertname=" + alertname] : parts),
            actions: actions, requiredLabels: strings(13), summary: text(12) ?? "", risk: text(5) ?? "low",
            successes: Int(try result.int64(row: row, column: offset + 6) ?? 0), failures: Int(try result.int64(row: row, column: offset + 7) ?? 0),
            enabled: try result.bool(row: row, column: offset + 8) ?? true, source: source,
            lastUsedAt: try result.double(row: row, column: offset + 10).map(Timestamp.init(epochSeconds:)),
            createdAt: Timestamp(epochSeconds: try result.double(row: row, column: offset + 11) ?? 0))
    }

    /// Stores a pattern the learner changed: a new one is inserted (and gets its id), a
    /// known one gets its counts, last use and tier.
    static func save(_ p: inout LearnedPattern, connection: PGConnection, now: Timestamp) throws {
        let tier = p.tier(now: now).rawValue
        if p.id != 0 {
            try connection.execute(
                """
                UPDATE remediation_patterns SET success_count = \(p.successes), failure_count = \(p.failures),
                    last_used_at = \(p.lastUsedAt)::timestamptz, tier = \(tier)::smallint, updated_at = now()
                WHERE id = \(p.id)
                """)
            return
        }
        let parts = JSONValue.array(p.symptom.parts.map(JSONValue.string)).jsonText
        let required = JSONValue.array(p.requiredLabels.map(JSONValue.string)).jsonText
        let inserted = try connection.execute(
            """
            INSERT INTO remediation_patterns (idempotency_key, fingerprint, alertname, symptom_parts, commands, risk, success_count,
                failure_count, enabled, source, last_used_at, created_at, updated_at, summary, required_labels, command_set, tier)
            VALUES (\(p.key), \(p.symptom.sha256), \(p.alertname), \(parts)::jsonb, \(PatternDocument.actionsJSON(p.actions).jsonText)::jsonb,
                \(p.risk), \(p.successes), \(p.failures), \(p.enabled), \(p.source.rawValue), \(p.lastUsedAt)::timestamptz,
                \(p.createdAt)::timestamptz, now(), \(p.summary), \(required)::jsonb, \(p.commandSet), \(tier)::smallint)
            ON CONFLICT (idempotency_key) DO UPDATE SET success_count = EXCLUDED.success_count, failure_count = EXCLUDED.failure_count,
                last_used_at = EXCLUDED.last_used_at, tier = EXCLUDED.tier, updated_at = now()
            RETURNING id
            """)
        p.id = try inserted.int64(row: 0, column: 0) ?? 0
    }
}
