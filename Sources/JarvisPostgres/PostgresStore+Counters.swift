public import JarvisCore

/// The fleet's running totals for the Prometheus counters: `jarvis_counters` rows (migration
/// 9) that triggers on `alert_events` and `remediation_log` keep current in the transaction
/// that writes the rows, so reading them is one small query whatever the tables hold.
extension PostgresStore {
    /// The counters over every runner's rows.
    ///
    /// - Throws: `PGError` when the query fails (`.unreachable` when the server is gone).
    public func storeCounters() throws -> StoreCounters {
        try withConnection { connection in
            let result = try connection.execute("SELECT metric, label1, label2, value FROM jarvis_counters WHERE value <> 0 ORDER BY 1, 2, 3")
            var counters = StoreCounters()
            for row in 0..<result.rowCount {
                let label1 = result.string(row: row, column: 1) ?? ""
                let label2 = result.string(row: row, column: 2) ?? ""
                let value = try result.double(row: row, column: 3) ?? 0
                switch result.string(row: row, column: 0) ?? "" {
                case "alerts": counters.alertsByDecision[label1] = Int(value)
                case "remediations": counters.remediations.append((tier: Int(label1) ?? 0, outcome: label2, count: Int(value)))
                case "llm_calls": counters.llmCalls = Int(value)
                case "llm_errors": counters.llmErrors = Int(value)
                case "llm_tokens_in": counters.tokensIn = Int(value)
                case "llm_tokens_out": counters.tokensOut = Int(value)
                case "llm_cost_usd": counters.costUSD = value
                default: break
                }
            }
            counters.remediations.sort { ($0.tier, $0.outcome) < ($1.tier, $1.outcome) }
            return counters
        }
    }

    /// What one relation of `remediation_log` rows adds to the counters, times `sign`.
    static func remediationContributions(_ relation: String, sign: Int) -> String {
        """
        SELECT c.metric, c.label1, c.label2, \(sign) * c.value AS value
        FROM \(relation) r CROSS JOIN LATERAL (VALUES
            ('remediations', r.tier::text, r.outcome, 1::double precision),
            ('llm_calls', '', '', CASE WHEN \(ReportQuery.llmCallCondition) THEN 1 ELSE 0 END),
            ('llm_errors', '', '', CASE WHEN \(ReportQuery.llmErrorCondition) THEN 1 ELSE 0 END),
            ('llm_tokens_in', '', '', r.llm_tokens_in::double precision),
            ('llm_tokens_out', '', '', r.llm_tokens_out::double precision),
            ('llm_cost_usd', '', '', r.llm_cost_usd::double precision)
        ) AS c (metric, label1, label2, value)
        """
    }

    /// Adds the rows of `contributions` (metric, label1, label2, value) to `jarvis_counters`,
    /// in key order (so concurrent writers lock counter rows in the same order).
    static func addCounters(_ contributions: String) -> String {
        """
        INSERT INTO jarvis_counters AS k (metric, label1, label2, value)
        SELECT metric, label1, label2, sum(value) FROM (\(contributions)) AS d
        GROUP BY 1, 2, 3 HAVING sum(value) <> 0 ORDER BY 1, 2, 3
        ON CONFLICT (metric, label1, label2) DO UPDATE SET value = k.value + EXCLUDED.value
        """
    }

    /// Alert events' contribution: one per event, by decision.
    static func alertContributions(_ relation: String) -> String {
        "SELECT 'alerts' AS metric, coalesce(decision, 'unknown') AS label1, '' AS label2, 1::double precision AS value FROM \(relation)"
    }

    /// The counter table, its triggers, and the totals of the rows already stored.
    static let countersSchema = """
        CREATE TABLE jarvis_counters (
            metric text NOT NULL,
            label1 text NOT NULL DEFAULT '',
            label2 text NOT NULL DEFAULT '',
            value double precision NOT NULL DEFAULT 0,
            PRIMARY KEY (metric, label1, label2)
        );
        COMMENT ON TABLE jarvis_counters IS
            'Running totals for the Prometheus counters, kept by triggers on alert_events (alerts by decision) and remediation_log (remediations by tier and outcome, LLM calls, errors, tokens, cost).';

        CREATE FUNCTION jarvis_counters_alert_events() RETURNS trigger LANGUAGE plpgsql AS $cnt$
        BEGIN
            \(addCounters(alertContributions("new_events")));
            RETURN NULL;
        END
        $cnt$;
        CREATE TRIGGER alert_events_counters AFTER INSERT ON alert_events
            REFERENCING NEW TABLE AS new_events FOR EACH STATEMENT EXECUTE FUNCTION jarvis_counters_alert_events();

        CREATE FUNCTION jarvis_counters_remediation_insert() RETURNS trigger LANGUAGE plpgsql AS $cnt$
        BEGIN
            \(addCounters(remediationContributions("new_rows", sign: 1)));
            RETURN NULL;
        END
        $cnt$;
        CREATE FUNCTION jarvis_counters_remediation_update() RETURNS trigger LANGUAGE plpgsql AS $cnt$
        BEGIN
            \(addCounters(remediationContributions("new_rows", sign: 1) + "\nUNION ALL\n" + remediationContributions("old_rows", sign: -1)));
            RETURN NULL;
        END
        $cnt$;
        CREATE TRIGGER remediation_log_counters_insert AFTER INSERT ON remediation_log
            REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION jarvis_counters_remediation_insert();
        CREATE TRIGGER remediation_log_counters_update AFTER UPDATE ON remediation_log
            REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION jarvis_counters_remediation_update();

        \(addCounters(alertContributions("alert_events") + "\nUNION ALL\n" + remediationContributions("remediation_log", sign: 1)));
        """
}
