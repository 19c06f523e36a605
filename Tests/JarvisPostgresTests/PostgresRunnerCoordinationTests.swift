import Foundation
import JarvisCore
import JarvisPostgres
import JarvisTestSupport
import Testing

extension PostgresTests {
    /// The claims and shared state of several runners, on a real PostgreSQL: each runner is
    /// its own connection, as each runner machine is.
    @Suite struct PostgresRunnerCoordinationTests {
        let postgres: TestPostgres
        let runners: [PostgresStore]

        init() throws {
            postgres = try TestPostgres()
            let first = try PostgresStore.connect(url: postgres.url)
            _ = try first.migrate()
            runners = [first, try PostgresStore.connect(url: postgres.url), try PostgresStore.connect(url: postgres.url)]
        }

        func request(
            _ event: String = "fp1@2026-12-06T00:00:00Z/firing", alertKey: String = "DiskFull/web1", runner: String, receivedAt: Timestamp,
            limit: Int = 3
        ) -> RemediationClaimRequest {
            RemediationClaimRequest(
                eventKey: event, occurrenceKey: String(event.split(separator: "/")[0]), alertKey: alertKey, alertname: "DiskFull", host: "web1",
                runner: runner, receivedAt: receivedAt, cooldown: 300, attemptLimit: limit, attemptWindow: 7200)
        }

        /// The wall clock, as PostgreSQL's `now()` compares it.
        func now() -> Timestamp { Timestamp(epochSeconds: Date().timeIntervalSince1970) }

        func psqlInt(_ sql: String) throws -> Int {
            try #require(Int(try postgres.psql(["-At", "-c", sql]).trimmingCharacters(in: .whitespacesAndNewlines)))
        }

        @Test func threeRunnersClaimingTheSameOccurrenceAtOnceActOnce() async throws {
            // Given the same notification, received by three runners a few seconds apart
            let base = now()
            let url = postgres.url
            // When the three claim it at the same moment, 20 rounds (20 occurrences)
            let requests = ["a", "b", "c"].enumerated().map { index, name in
                (0..<20).map { occurrence in
                    request(
                        "fp\(occurrence)@2026-12-06T00:00:00Z/firing", alertKey: "K\(occurrence)", runner: name,
                        receivedAt: base.adding(seconds: Double(index)))
                }
            }
            let verdicts = try await withThrowingTaskGroup(of: [RemediationClaim].self) { group in
                for runnerRequests in requests {
                    group.addTask {
                        let store = try PostgresStore.connect(url: url)
                        return try runnerRequests.map { try store.claimRemediation($0) }
                    }
                }
                return try await group.reduce(into: []) { $0 += $1 }
            }
            // Then each occurrence has exactly one winner and two losers who name it
            let won = verdicts.compactMap { if case .won(let key) = $0 { return key } else { return nil } }
            #expect(won.count == 20)
            #expect(Set(won).count == 20)
            #expect(won.allSatisfy { $0.hasSuffix("#1") })
            let lost = verdicts.compactMap { if case .lost(_, let key) = $0 { return key } else { return nil } }
            #expect(lost.count == 40)
            #expect(Set(lost) == Set(won))
            #expect(try psqlInt("SELECT count(*) FROM remediation_claims") == 20)
            // And each winner's intent row is there, pending, once
            #expect(try psqlInt("SELECT count(*) FROM remediation_log WHERE outcome = 'pending' AND plan_summary LIKE 'claimed by runner %'") == 20)
        }

        @Test func aLaterNotificationIsANewAttemptAndTheAttemptBudgetIsShared() throws {
            // Given runner a's claim of attempt 1
            let start = now()
            #expect(
                try runners[0].claimRemediation(request(runner: "a", receivedAt: start))
                    == .won(attemptKey: "remediation/fp1@2026-12-06T00:00:00Z/firing#1"))
            // A copy of the same notification (received a minute later elsewhere) loses to it
            #expect(
                try runners[1].claimRemediation(request(runner: "b", receivedAt: start.adding(seconds: 60)))
                    == .lost(runner: "a", attemptKey: "remediation/fp1@2026-12-06T00:00:00Z/firing#1"))
            // When the last claim is older than the cooldown (moved back in time here)
            _ = try postgres.psql([
                "-c",
                "UPDATE remediation_claims SET claimed_at = claimed_at - interval '10 minutes', received_at = received_at - interval '10 minutes'",
            ])
            // Then a notification of the same occurrence received now is attempt 2, for whoever claims first
            #expect(
                try runners[1].claimRemediation(request(runner: "b", receivedAt: now()))
                    == .won(attemptKey: "remediation/fp1@2026-12-06T00:00:00Z/firing#2"))
            // And the alert key's budget of 2 is spent for every runner, also for other occurrences
            _ = try postgres.psql([
                "-c",
                "UPDATE remediation_claims SET claimed_at = claimed_at - interval '10 minutes', received_at = received_at - interval '10 minutes'",
            ])
            #expect(
                try runners[2].claimRemediation(request("fp1@2026-12-06T01:00:00Z/firing", runner: "c", receivedAt: now(), limit: 2))
                    == .exhausted(attempts: 2))
        }

        @Test func theHourlyBudgetAndTheHostLockHoldAcrossRunners() throws {
            // Given 5 claimed attempts on two hosts
            var keys: [String] = []
            for index in 0..<5 {
                guard
                    case .won(let key) = try runners[0].claimRemediation(
                        request("fp\(index)@t/firing", alertKey: "K\(index)", runner: "a", receivedAt: now()))
                else {
                    Issue.record("claim \(index) lost")
                    return
                }
                keys.append(key)
            }
            // When runner a acts on web1, runner b cannot act on web1 meanwhile, but can on web2
            #expect(try runners[0].reserveAction(attemptKey: keys[0], host: "web1", limit: 3, window: 3600) == .reserved)
            #expect(try runners[1].reserveAction(attemptKey: keys[1], host: "web1", limit: 3, window: 3600) == .hostBusy)
            #expect(try runners[1].reserveAction(attemptKey: keys[1], host: "web2", limit: 3, window: 3600) == .reserved)
            runners[0].releaseHost("web1")
            runners[1].releaseHost("web2")
            // And the budget of 3 actions per hour counts every runner's
            #expect(try runners[2].reserveAction(attemptKey: keys[2], host: "web1", limit: 3, window: 3600) == .reserved)
            runners[2].releaseHost("web1")
            #expect(try runners[1].reserveAction(attemptKey: keys[3], host: "web1", limit: 3, window: 3600) == .overBudget)
            // An over-budget answer holds no host lock
            #expect(try runners[0].reserveAction(attemptKey: keys[4], host: "web1", limit: 4, window: 3600) == .reserved)
            #expect(try psqlInt("SELECT count(*) FROM remediation_claims WHERE acted_at IS NOT NULL") == 4)
        }

        @Test func aNotificationIsClaimedByTheFirstRunnerOnly() throws {
            #expect(try runners[1].claimNotification(dedupKey: "remediated:x", runner: "b", expiresAfter: nil) == "b")
            #expect(try runners[0].claimNotification(dedupKey: "remediated:x", runner: "a", expiresAfter: nil) == "b")
            #expect(try runners[1].claimNotification(dedupKey: "remediated:x", runner: "b", expiresAfter: nil) == "b")
            #expect(try runners[2].claimNotification(dedupKey: "remediated:y", runner: "c", expiresAfter: nil) == "c")
            // An expiring claim (an escalation per occurrence and cooldown) is taken over once old
            #expect(try runners[0].claimNotification(dedupKey: "escalation:fp@t", runner: "a", expiresAfter: 3600) == "a")
            #expect(try runners[1].claimNotification(dedupKey: "escalation:fp@t", runner: "b", expiresAfter: 3600) == "a")
            _ = try postgres.psql(["-c", "UPDATE notification_claims SET claimed_at = claimed_at - interval '2 hours'"])
            #expect(try runners[1].claimNotification(dedupKey: "escalation:fp@t", runner: "b", expiresAfter: 3600) == "b")
            #expect(try runners[0].claimNotification(dedupKey: "remediated:x", runner: "a", expiresAfter: nil) == "b", "a claim for good stays")
        }

        @Test func windowsHostTransitionsAndRunnersAreShared() throws {
            // Given a window and host transitions recorded by runner a's journal
            _ = try runners[0].apply([
                JournalEntry(
                    seq: 1, table: "maintenance_windows", idempotencyKey: "a/maintenance/1",
                    json:
                        #"{"idempotency_key":"a/maintenance/1","host":"web1","reason":"disk swap","author":"ops","starts_at":"2026-12-06T00:00:00Z","ends_at":"2099-01-01T00:00:00Z","ended_at":null,"suppressed_count":0,"updated_at":"2026-12-06T00:00:00Z","runner":"a"}"#,
                    createdAt: now()),
                JournalEntry(
                    seq: 2, table: "host_status_log", idempotencyKey: "h1",
                    json:
                        #"{"idempotency_key":"h1","host":"web2","from_state":"online","to_state":"offline","error":"refused","consecutive_failures":3,"last_success_at":null,"changed_at":"2026-12-06T00:00:00Z","runner":"a"}"#,
                    createdAt: now()),
                JournalEntry(
                    seq: 3, table: "host_status_log", idempotencyKey: "h0",
                    json:
                        #"{"idempotency_key":"h0","host":"web2","from_state":"unknown","to_state":"online","error":null,"consecutive_failures":0,"last_success_at":null,"changed_at":"2026-12-05T00:00:00Z","runner":"a"}"#,
                    createdAt: now()),
            ])
            // Then runner b reads them
            let windows = try runners[1].sharedWindows()
            #expect(windows.map(\.key) == ["a/maintenance/1"])
            #expect(windows.first?.host == "web1")
            #expect(windows.first?.endsAt == Timestamp(rfc3339: "2099-01-01T00:00:00Z"))
            let transitions = try runners[1].latestHostTransitions()
            #expect(transitions.count == 1)
            #expect(transitions.first?.to == .offline)
            #expect(transitions.first?.consecutiveFailures == 3)
            // And the runners seen
            try runners[0].recordRun(RunnerActivity(runner: "a", command: "ingest", result: "ok", summary: "ingest: 1 file", at: now()))
            try runners[1].recordRun(RunnerActivity(runner: "b", command: "ingest", result: "degraded", summary: "ingest: 2 files", at: now()))
            try runners[1].recordRun(RunnerActivity(runner: "old", command: "drain", result: "ok", summary: "", at: now().adding(seconds: -7200)))
            let seen = try runners[2].runners(seenWithin: 3600)
            #expect(Set(seen.map(\.runner)) == ["a", "b"])
            #expect(seen.first { $0.runner == "b" }?.result == "degraded")
        }

        @Test func suppressedAlertsClaimedByThreeRunnersAtOnceAreEachWonOnceUntilTheClaimExpires() async throws {
            // Given three runners that suppressed overlapping sets of notifications
            let keys = (0..<60).map { "suppressed:fp\($0)@2026-12-06T00:00:00Z/firing" }
            let url = postgres.url
            let sets = [Array(keys[0..<40]), Array(keys[20..<60]).reversed(), keys.shuffled()]
            // When they claim them at once
            let won = try await withThrowingTaskGroup(of: Set<String>.self) { group in
                for (index, wanted) in sets.enumerated() {
                    group.addTask {
                        try PostgresStore.connect(url: url).claimNotifications(dedupKeys: Array(wanted), runner: "r\(index)", expiresAfter: 300)
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            // Then each key went to one runner
            #expect(won.reduce(0) { $0 + $1.count } == 60)
            #expect(won.reduce(into: Set<String>()) { $0.formUnion($1) } == Set(keys))
            // And a claim is taken over only once it expired
            #expect(try runners[0].claimNotifications(dedupKeys: keys, runner: "late", expiresAfter: 300).isEmpty)
            _ = try psqlInt(
                "WITH aged AS (UPDATE notification_claims SET claimed_at = now() - interval '10 minutes' WHERE dedup_key = '\(keys[0])' RETURNING 1) SELECT count(*) FROM aged"
            )
            #expect(try runners[0].claimNotifications(dedupKeys: keys, runner: "late", expiresAfter: 300) == [keys[0]])
            #expect(try runners[0].claimNotifications(dedupKeys: [], runner: "late", expiresAfter: 300).isEmpty)
        }

        @Test func anApprovedAttemptIsClaimedForItsRunnerUnlessAnotherActedOrHoldsIt() throws {
            // Given runner a holds attempt 1 of an occurrence (its ingest parked the plan)
            let claim = try runners[0].claimRemediation(request(runner: "a", receivedAt: now()))
            guard case .won(let key) = claim else {
                Issue.record("\(claim)")
                return
            }
            let event = "fp1@2026-12-06T00:00:00Z/firing"
            func approval(_ runner: String, _ attemptKey: String = key) -> ApprovalClaimRequest {
                ApprovalClaimRequest(attemptKey: attemptKey, eventKey: event, alertKey: "DiskFull/web1", host: "web1", runner: runner)
            }
            // Then a may run it, b may not (a holds it)
            #expect(try runners[0].claimApproval(approval("a")) == .mine)
            #expect(try runners[1].claimApproval(approval("b")) == .claimedBy(runner: "a"))
            // And a plan parked while PostgreSQL was away is claimed now
            let parkedOffline = "remediation/fp9@2026-12-06T00:00:00Z/firing#1"
            let offline = ApprovalClaimRequest(
                attemptKey: parkedOffline, eventKey: "fp9@2026-12-06T00:00:00Z/firing", alertKey: "K9", host: "web1", runner: "c")
            #expect(try runners[2].claimApproval(offline) == .mine)
            #expect(try psqlInt("SELECT count(*) FROM remediation_claims WHERE attempt_key = '\(parkedOffline)' AND runner = 'c'") == 1)
            // When another attempt at the occurrence ran on runner b
            _ = try psqlInt(
                """
                WITH made AS (INSERT INTO remediation_claims (attempt_key, event_key, attempt, alert_key, host, runner, received_at, acted_at)
                VALUES ('remediation/\(event)#2', '\(event)', 2, 'DiskFull/web1', 'web1', 'b', now(), now()) RETURNING 1) SELECT count(*) FROM made
                """)
            // Then a's approval is refused, naming b
            #expect(try runners[0].claimApproval(approval("a")) == .actedOn(runner: "b", attemptKey: "remediation/\(event)#2"))
        }
    }
}
