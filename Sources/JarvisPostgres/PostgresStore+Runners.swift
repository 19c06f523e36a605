public import JarvisCore

/// What several runners sharing this database coordinate through (migration 8): claims of
/// remediation attempts and notifications, the shared action budget and host locks, and the
/// state every runner must see (maintenance windows, host transitions, the runners seen).
extension PostgresStore {
    /// Claims the next attempt at an occurrence. Wraps `jarvis_claim_remediation`: one round
    /// trip, one transaction holding an advisory lock on the occurrence.
    ///
    /// - Parameter request: The occurrence, the runner and the limits.
    /// - Returns: won (with the attempt's key), lost (to whom) or exhausted.
    /// - Throws: `PGError` (`.unreachable` when the server is gone).
    public func claimRemediation(_ request: RemediationClaimRequest) throws -> RemediationClaim {
        let result = try run(
            """
            SELECT verdict, attempt, attempt_key, claimant FROM jarvis_claim_remediation(
                \(request.eventKey), \(request.occurrenceKey), \(request.alertKey), \(request.alertname), \(request.host), \(request.runner),
                \(request.receivedAt)::timestamptz, \(request.cooldown)::float8, \(request.attemptLimit)::int, \(request.attemptWindow)::float8)
            """)
        let attempt = Int(try result.int64(row: 0, column: 1) ?? 0)
        switch result.string(row: 0, column: 0) {
        case "won": return .won(attemptKey: result.string(row: 0, column: 2) ?? "")
        case "lost": return .lost(runner: result.string(row: 0, column: 3) ?? "", attemptKey: result.string(row: 0, column: 2) ?? "")
        case "exhausted": return .exhausted(attempts: attempt)
        default: throw PGError(code: .protocolViolation, message: "jarvis_claim_remediation answered no verdict")
        }
    }

    /// Takes the host lock and one action of the shared budget. Wraps `jarvis_reserve_action`.
    ///
    /// - Throws: `PGError`.
    public func reserveAction(attemptKey: String, host: String, limit: Int, window: Double) throws -> ActionReservation {
        let result = try run(
            "SELECT jarvis_reserve_action(\(attemptKey), \(host), \(limit)::int, \(window)::float8)")
        guard let verdict = result.string(row: 0, column: 0).flatMap(ActionReservation.init(rawValue:)) else {
            throw PGError(code: .protocolViolation, message: "jarvis_reserve_action answered no verdict")
        }
        return verdict
    }

    /// Releases the host lock `reserveAction` took (`pg_advisory_unlock`). A lost connection
    /// released it already.
    public func releaseHost(_ host: String) {
        _ = try? withConnection { try $0.execute("SELECT pg_advisory_unlock(hashtextextended(\("jarvis/host/" + host), 0))") }
    }

    /// Takes the session advisory lock called `name` if it is free (`pg_try_advisory_lock`).
    ///
    /// - Returns: false when another session holds it.
    /// - Throws: `PGError`.
    public func tryLock(_ name: String) throws -> Bool {
        try run("SELECT pg_try_advisory_lock(hashtextextended(\("jarvis/lock/" + name), 0))").bool(row: 0, column: 0) == true
    }

    /// Releases a lock `acquireLock` took (a lost connection released it already).
    public func releaseLock(_ name: String) {
        _ = try? withConnection { try $0.execute("SELECT pg_advisory_unlock(hashtextextended(\("jarvis/lock/" + name), 0))") }
    }

    /// Windows open now or ended within the last day, from every runner.
    ///
    /// - Throws: `PGError`.
    public func sharedWindows() throws -> [SharedMaintenanceWindow] {
        let result = try run(
            """
            SELECT idempotency_key, host, reason, author, extract(epoch FROM starts_at)::float8, extract(epoch FROM ends_at)::float8,
                   extract(epoch FROM ended_at)::float8, extract(epoch FROM updated_at)::float8
            FROM maintenance_windows
            WHERE (ended_at IS NULL OR ended_at > now() - interval '1 day') AND (ends_at IS NULL OR ends_at > now() - interval '1 day')
            ORDER BY id
            """)
        return try (0..<result.rowCount).map { (row: Int) throws -> SharedMaintenanceWindow in
            func time(_ column: Int) throws -> Timestamp? { try result.double(row: row, column: column).map(Timestamp.init(epochSeconds:)) }
            return SharedMaintenanceWindow(
                key: result.string(row: row, column: 0) ?? "", host: result.string(row: row, column: 1),
                reason: result.string(row: row, column: 2) ?? "",
                author: result.string(row: row, column: 3) ?? "", startsAt: try time(4) ?? Timestamp(seconds: 0), endsAt: try time(5),
                endedAt: try time(6), updatedAt: try time(7))
        }
    }

    /// The newest `host_status_log` row of each host.
    ///
    /// - Throws: `PGError`.
    public func latestHostTransitions() throws -> [HostTransition] {
        let result = try run(
            """
            SELECT DISTINCT ON (host) host, from_state, to_state, error, consecutive_failures,
                   extract(epoch FROM last_success_at)::float8, extract(epoch FROM changed_at)::float8
            FROM host_status_log ORDER BY host, changed_at DESC, id DESC
            """)
        var transitions: [HostTransition] = []
        for row in 0..<result.rowCount {
            guard let host = result.string(row: row, column: 0),
                let from = result.string(row: row, column: 1).flatMap({ HostState(rawValue: $0.uppercased()) }),
                let to = result.string(row: row, column: 2).flatMap({ HostState(rawValue: $0.uppercased()) }),
                let at = try result.double(row: row, column: 6)
            else { continue }
            transitions.append(
                HostTransition(
                    host: host, from: from, to: to, at: Timestamp(epochSeconds: at), error: result.string(row: row, column: 3),
                    consecutiveFailures: Int(try result.int64(row: row, column: 4) ?? 0),
                    lastSuccessAt: try result.double(row: row, column: 5).map(Timestamp.init(epochSeconds:))))
        }
        return transitions
    }

    /// Claims the sending of a notification: the first runner to ask holds it, until the
    /// claim is older than `expiresAfter` seconds (nil: for good).
    ///
    /// - Returns: The runner holding the claim.
    /// - Throws: `PGError`.
    public func claimNotification(dedupKey: String, runner: String, expiresAfter: Double?) throws -> String {
        let result = try run(
            """
            WITH claimed AS (
                INSERT INTO notification_claims (dedup_key, runner) VALUES (\(dedupKey), \(runner))
                ON CONFLICT (dedup_key) DO UPDATE SET runner = EXCLUDED.runner, claimed_at = now()
                WHERE \(expiresAfter)::float8 IS NOT NULL AND notification_claims.claimed_at < now() - make_interval(secs => \(expiresAfter)::float8)
                RETURNING runner
            )
            SELECT runner FROM claimed UNION ALL SELECT runner FROM notification_claims WHERE dedup_key = \(dedupKey) LIMIT 1
            """)
        return result.string(row: 0, column: 0) ?? runner
    }

    /// Records what a runner last did.
    ///
    /// - Throws: `PGError`.
    public func recordRun(_ activity: RunnerActivity) throws {
        _ = try run(
            """
            INSERT INTO runners (runner, last_seen_at, last_command, last_result, last_summary)
            VALUES (\(activity.runner), \(activity.at)::timestamptz, \(activity.command), \(activity.result), \(activity.summary))
            ON CONFLICT (runner) DO UPDATE SET last_seen_at = EXCLUDED.last_seen_at, last_command = EXCLUDED.last_command,
                last_result = EXCLUDED.last_result, last_summary = EXCLUDED.last_summary
            WHERE runners.last_seen_at <= EXCLUDED.last_seen_at
            """)
    }

    /// The runners seen within `seconds`, most recent first.
    ///
    /// - Throws: `PGError`.
    public func runners(seenWithin seconds: Double) throws -> [RunnerActivity] {
        let result = try run(
            """
            SELECT runner, last_command, last_result, last_summary, extract(epoch FROM last_seen_at)::float8 FROM runners
            WHERE last_seen_at > now() - make_interval(secs => \(seconds)::float8) ORDER BY last_seen_at DESC, runner
            """)
        return try (0..<result.rowCount).map { (row: Int) throws -> RunnerActivity in
            RunnerActivity(
                runner: result.string(row: row, column: 0) ?? "", command: result.string(row: row, column: 1) ?? "",
                result: result.string(row: row, column: 2) ?? "", summary: result.string(row: row, column: 3) ?? "",
                at: Timestamp(epochSeconds: try result.double(row: row, column: 4) ?? 0))
        }
    }

    private func run(_ query: PGQuery) throws -> PGResult {
        try withConnection { try $0.execute(query) }
    }
}

extension PostgresStore {
    /// Claims many notification keys at once (in key order, so two runners claiming the
    /// same keys wait for each other instead of deadlocking).
    ///
    /// - Returns: The keys `runner` won.
    /// - Throws: `PGError`.
    public func claimNotifications(dedupKeys: [String], runner: String, expiresAfter: Double?) throws -> Set<String> {
        guard !dedupKeys.isEmpty else { return [] }
        let keys = JSONValue.array(dedupKeys.sorted().map(JSONValue.string)).jsonText
        let result = try withConnection {
            try $0.execute(
                """
                INSERT INTO notification_claims (dedup_key, runner)
                SELECT key, \(runner) FROM jsonb_array_elements_text(\(keys)::jsonb) AS key ORDER BY key
                ON CONFLICT (dedup_key) DO UPDATE SET runner = EXCLUDED.runner, claimed_at = now()
                WHERE \(expiresAfter)::float8 IS NOT NULL AND notification_claims.claimed_at < now() - make_interval(secs => \(expiresAfter)::float8)
                RETURNING dedup_key
                """)
        }
        return Set((0..<result.rowCount).compactMap { result.string(row: $0, column: 0) })
    }
}

extension PostgresStore {
    /// Claims an approved attempt for its runner, under the occurrence's advisory lock (the
    /// one `jarvis_claim_remediation` takes): refused when another attempt at the occurrence
    /// ran commands already, or when another runner holds this attempt.
    ///
    /// - Throws: `PGError`.
    public func claimApproval(_ request: ApprovalClaimRequest) throws -> ApprovalClaim {
        try withConnection { connection in
            try connection.withTransaction { () throws -> ApprovalClaim in
                try connection.execute("SELECT pg_advisory_xact_lock(hashtextextended(\("jarvis/claim/" + request.eventKey), 0))")
                let acted = try connection.execute(
                    """
                    SELECT runner, attempt_key FROM remediation_claims
                    WHERE event_key = \(request.eventKey) AND attempt_key <> \(request.attemptKey) AND acted_at IS NOT NULL
                    ORDER BY attempt DESC LIMIT 1
                    """)
                if acted.rowCount > 0 {
                    return .actedOn(runner: acted.string(row: 0, column: 0) ?? "", attemptKey: acted.string(row: 0, column: 1) ?? "")
                }
                let holder = try connection.execute(
                    """
                    WITH made AS (
                        INSERT INTO remediation_claims (attempt_key, event_key, attempt, alert_key, host, runner, received_at)
                        VALUES (\(request.attemptKey), \(request.eventKey), \(request.attempt), \(request.alertKey), \(request.host), \(request.runner), now())
                        ON CONFLICT DO NOTHING RETURNING runner
                    )
                    SELECT runner FROM made UNION ALL
                    SELECT runner FROM remediation_claims WHERE attempt_key = \(request.attemptKey) OR (event_key = \(request.eventKey) AND attempt = \(request.attempt))
                    LIMIT 1
                    """
                ).string(row: 0, column: 0)
                return holder == nil || holder == request.runner ? .mine : .claimedBy(runner: holder ?? "")
            }
        }
    }
}
