public import JarvisCore

/// What every runner did with patterns and fixes, read for one runner: a pattern's history
/// (`jarvis patterns show`) and the failure memory of an alert key.
extension PostgresStore {
    /// The stored commands of the failed attempts at `alertKey` on runners other than
    /// `runner`, oldest first (`SharedLearning.failedCommandLists`).
    ///
    /// - Throws: `PGError`.
    public func failedCommandLists(alertKey: String, otherThan runner: String) throws -> [String] {
        try withConnection { connection in
            let result = try connection.execute(
                """
                SELECT commands::text FROM remediation_log
                WHERE alert_key = \(alertKey) AND runner <> \(runner) AND (verification = 'failed' OR outcome = 'failed')
                    AND commands <> '[]'::jsonb
                ORDER BY intent_at, id
                """)
            return (0..<result.rowCount).compactMap { result.string(row: $0, column: 0) }
        }
    }

    /// Every `pattern_events` row of a pattern, oldest first, with the runner that wrote it.
    ///
    /// - Throws: `PGError`.
    public func patternEvents(patternID: Int64) throws -> [PatternEvent] {
        try withConnection { connection in
            let result = try connection.execute(
                """
                SELECT idempotency_key, kind, from_tier, to_tier, remediation_key, extract(epoch FROM recorded_at)::float8, runner
                FROM pattern_events WHERE pattern_id = \(patternID) ORDER BY recorded_at, id
                """)
            return try (0..<result.rowCount).compactMap { row in
                guard let key = result.string(row: row, column: 0), let kind = result.string(row: row, column: 1).flatMap(PatternEvent.Kind.init)
                else { return nil }
                return PatternEvent(
                    key: key, patternID: patternID, kind: kind,
                    fromTier: try result.int64(row: row, column: 2).flatMap { FixTier(rawValue: Int($0)) },
                    toTier: try result.int64(row: row, column: 3).flatMap { FixTier(rawValue: Int($0)) },
                    remediationKey: result.string(row: row, column: 4),
                    at: Timestamp(epochSeconds: try result.double(row: row, column: 5) ?? 0), runner: result.string(row: row, column: 6) ?? "")
            }
        }
    }
}
