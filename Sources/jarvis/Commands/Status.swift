import ArgumentParser
import Foundation
import JarvisCore
import JarvisJobs
import JarvisSQLite
import JarvisSpool

struct Status: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Say whether jarvis is healthy, degraded, misconfigured or embedded, and why.",
        discussion: """
            healthy:  PostgreSQL answers and the journal is drained.
            degraded: PostgreSQL is unreachable, or journal rows wait for it; `jarvis drain` \
            (or the next ingest) sends them once it answers. Nothing is lost meanwhile.
            misconfigured: PostgreSQL answers but refuses the configured connection \
            (authentication, no such database or role, SSL required, permission denied) or the \
            URL cannot be read; rows wait in the journal, but only a configuration fix helps.
            embedded: no PostgreSQL configured; SQLite is the store of record.

            Also shows the journal depth and oldest row, the spool backlog per folder and the last \
            run of each subcommand; with PostgreSQL, this runner's name and mode (runner.id, \
            runner.mode) and every runner that used the database in the last hour, with what it \
            last did. Exits 0 when healthy or embedded, 75 when degraded, 78 when misconfigured.
            """)

    @OptionGroup var options: GlobalOptions

    @Flag(help: "Print JSON instead of text.")
    var json = false

    func run() throws {
        RunContext.execute("status", options, recordRun: false) { context in
            let configuration = context.configuration
            let now = Timestamp.now()
            let journal = try context.openJournal()
            let depth = try journal.depth()
            let backlog = try context.openSpool().backlog()
            let runs = RunLog(stateDir: configuration.stateDir).all()

            var state = "embedded"
            var reason = "no PostgreSQL configured; SQLite is the store of record"
            var answers = false
            if let connect = context.storeConnector {
                do {
                    _ = try connect()
                    answers = true
                    if depth.rows > 0 {
                        state = "degraded"
                        reason = "PostgreSQL answers, but \(depth.rows) journal rows wait for `jarvis drain`"
                    } else {
                        state = "healthy"
                        reason = "PostgreSQL answers and the journal is empty"
                    }
                } catch let failure as StoreFailure where failure.misconfigured {
                    state = "misconfigured"
                    reason = "PostgreSQL refused the configured connection: \(failure.description)"
                } catch let failure as StoreFailure where failure.unreachable {
                    state = "degraded"
                    reason = "PostgreSQL \(failure.description)"
                } catch {
                    state = "degraded"
                    reason = "PostgreSQL \(error)"
                }
            }

            // Runners sharing this PostgreSQL, seen in the last hour, and what each last did.
            let runners = answers ? (try? context.coordination?.runners(seenWithin: 3600)) ?? [] : []
            let outbox = try journal.outboxDepth()
            let windows = try journal.maintenanceWindows(includeEnded: false, now: now).filter { $0.isActive(at: now) }
            let approvals = try journal.remediations(where: .awaitingApproval)
            let pendingVerifications = try journal.remediations(where: .awaitingVerification).count
            let triageRows = try journal.triageRowCount()
            if json {
                var object: [String: Any] = [
                    "notifications": ["pending": outbox.pending, "dead": outbox.dead, "oldest_pending": outbox.oldestPending?.rfc3339 as Any],
                    "maintenance": windows.map { ["id": $0.id, "host": $0.host as Any, "reason": $0.reason, "ends_at": $0.endsAt?.rfc3339 as Any] },
                    "remediation": [
                        "awaiting_approval": approvals.count, "awaiting_verification": pendingVerifications,
                        "mode": configuration.remediation.mode.rawValue,
                    ],
                    "state": state, "reason": reason,
                    "journal": [
                        "rows": depth.rows, "oldest": depth.oldest?.rfc3339 as Any,
                        "oldest_age_seconds": depth.oldest.map { Int(now.seconds(since: $0)) } as Any,
                    ],
                    "spool": [
                        "incoming": backlog.incoming, "processing": backlog.processing, "rejected": backlog.rejected, "dir": configuration.spoolDir,
                    ],
                    "store": configuration.isEmbedded ? "sqlite" : "postgresql",
                    "triage": ["state_rows": triageRows],
                    "runner": configuration.runner,
                    "runners": runners.map {
                        ["runner": $0.runner, "last_seen_at": $0.at.rfc3339, "command": $0.command, "result": $0.result, "summary": $0.summary]
                    },
                ]
                object["last_runs"] = runs.map { run -> [String: Any] in
                    [
                        "command": run.command, "started_at": run.startedAt, "finished_at": run.finishedAt,
                        "result": run.result, "exit_code": run.exitCode, "summary": run.summary,
                    ]
                }
                let data = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])
                Console.print(String(decoding: data, as: UTF8.self))
            } else {
                var lines = ["jarvis: \(state) — \(reason)"]
                let oldest = depth.oldest.map { ", oldest \($0.displayText) (\($0.age(now: now)) ago)" } ?? ""
                lines.append("  journal: \(depth.rows) row\(depth.rows == 1 ? "" : "s") waiting\(oldest)")
                lines.append(
                    "  spool:   incoming \(backlog.incoming), processing \(backlog.processing), rejected \(backlog.rejected)  (\(configuration.spoolDir))"
                )
                if outbox.pending > 0 || outbox.dead > 0 {
                    lines.append("  discord: \(outbox.pending) message(s) waiting, \(outbox.dead) given up")
                }
                for window in windows {
                    lines.append(
                        "  maintenance: #\(window.id) \(window.host ?? "all hosts") (\(window.reason))"
                            + (window.endsAt.map { " until \($0.displayText)" } ?? ""))
                }
                for record in approvals.prefix(10) {
                    let id = (try? journal.remediationID(key: record.key)).flatMap { $0 }.map { "#\($0)" } ?? ""
                    lines.append("  awaiting approval: \(id) \(record.alertKey) on \(record.host) — `jarvis approve \(id.dropFirst())`")
                }
                lines.append("  remediation: \(configuration.remediation.mode.rawValue), \(pendingVerifications) fix(es) awaiting verification")
                lines.append("  triage:  \(triageRows) state row\(triageRows == 1 ? "" : "s") (open occurrences, recent keys, flap histories)")
                if !configuration.isEmbedded {
                    let mode = configuration.runnerSettings.isShared ? "shared: no action without PostgreSQL" : "single"
                    lines.append("  runner:  \(configuration.runner) (\(mode))")
                }
                for runner in runners {
                    lines.append(
                        "  runner \(runner.runner): \(runner.command) \(runner.result) \(runner.at.age(now: now)) ago: \(runner.summary.prefix(100))")
                }
                if runs.isEmpty { lines.append("  last runs: none yet") }
                for run in runs {
                    let when = Timestamp(rfc3339: run.finishedAt).map { "\($0.age(now: now)) ago" } ?? run.finishedAt
                    let firstLine = run.summary.split(separator: "\n").first.map(String.init) ?? ""
                    lines.append(
                        "  \(run.command.padding(toLength: 14, withPad: " ", startingAt: 0)) \(run.result) \(when) (exit \(run.exitCode)) \(firstLine)"
                    )
                }
                Console.print(lines.joined(separator: "\n"))
            }
            let code = state == "degraded" ? JarvisExit.tempFail : state == "misconfigured" ? JarvisExit.config : JarvisExit.ok
            return RunOutcome(exitCode: code, result: state, summary: reason)
        }
    }
}
