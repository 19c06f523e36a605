import ArgumentParser
import Foundation
import JarvisCore
import JarvisJobs
import JarvisSQLite
import JarvisSpool

struct Ingest: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingest",
        abstract: "Record the alerts waiting in the spool, triage and remediate them, and pass the rows on to PostgreSQL.",
        discussion: """
            Claims each file in SPOOL/incoming (and any a crashed run left in SPOOL/processing), \
            decodes it as an Alertmanager webhook, triages every alert (dedup, maintenance windows, \
            offline hosts, cascades, flapping, attempt budget) and records each occurrence with its \
            decision in the local journal. Files share a transaction (at most ingest.group_files \
            files or ingest.group_alerts alerts; each file's rows commit together), and a file is \
            deleted only after the commit holding its rows is on disk. Bad files go to \
            SPOOL/rejected with a .reason file beside them; the rest go on.

            Actionable alerts get a fix from a trusted pattern or the LLM, checked by the command \
            policy: dry-run (planned and printed, nothing runs) until remediation.mode: execute; \
            high-risk plans wait for `jarvis approve`. Verifications that are due are settled and \
            taught to the patterns, and Discord messages are sent from the outbox.

            With PostgreSQL configured, each group of rows is sent there as soon as it is \
            committed, while the next files are recorded (as `jarvis drain` would). If PostgreSQL \
            is unreachable the alerts stay safe in the journal and ingest exits 75; if it refuses \
            the configured connection, they stay too and ingest exits 78.

            With PostgreSQL, each actionable alert is claimed there before anything is planned or \
            run, so several runners fed the same alerts act once; a runner in runner.mode: shared \
            (or with runner.peers) does not act while PostgreSQL is away, it escalates.

            Run it from a systemd path unit when the spool fills, or from a timer.
            """)

    @OptionGroup var options: GlobalOptions

    @Flag(name: .shortAndLong, help: "List every alert recorded (the first 1,000) in the summary.")
    var list = false

    func run() throws {
        RunContext.execute("ingest", options) { context in
            let configuration = context.configuration
            var job = IngestJob(
                configuration: configuration, spool: try context.openSpool(), journal: { try context.openJournal() },
                now: { .now() }, connectStore: context.storeConnector, executor: context.remediationExecutor, locks: LiveEnvironment.locks)
            job.progress = { Console.progress("ingest: files", $0, $1) }
            job.shouldStop = { StopSignal.isRequested }
            job.agent = context.diagnosisAgentFactory
            job.http = LiveEnvironment.httpTransport
            job.dispatcher = { journal in context.dispatcher(journal: journal) }
            job.coordination = context.coordination
            job.learning = context.learning
            job.hostNotifier = { journal in
                OutboxHostNotifier(log: context.hostNotifier, journal: journal, dispatcher: context.dispatcher(journal: journal), now: { .now() })
            }
            let report = try job.run()
            for rejection in report.rejected {
                Console.log(.warning, "rejected \(rejection.file): \(rejection.reason)")
            }
            let summary = IngestSummary(report: report, configuration: configuration, list: list).text
            Console.print(summary)
            if let failure = report.flush?.failure {
                let level: Console.Priority = failure.misconfigured ? .error : .warning
                Console.log(level, "PostgreSQL: \(failure.description); \(report.flush?.remaining ?? 0) rows wait in the journal for `jarvis drain`")
                return .failed(failure, summary)
            }
            if let delivery = report.delivery, delivery.isDegraded {
                Console.log(.warning, delivery.summary)
                return .degraded(summary)
            }
            var outcome = RunOutcome.ok(summary)
            outcome.idle = report.idle
            return outcome
        }
    }
}

/// The readable end-of-run summary of an ingest.
struct IngestSummary {
    var report: IngestReport
    var configuration: JarvisConfiguration
    var list = false

    var text: String {
        var lines: [String] = []
        let mode = configuration.isEmbedded ? "embedded (SQLite is the store of record)" : "PostgreSQL"
        lines.append(
            "ingest: \(report.files) file\(report.files == 1 ? "" : "s"), \(report.alerts) alert\(report.alerts == 1 ? "" : "s") → \(report.newEvents) new, \(report.duplicates) duplicate\(report.duplicates == 1 ? "" : "s"); \(report.rejected.count) rejected"
        )
        if report.reclaimed > 0 { lines.append("  reclaimed \(report.reclaimed) file(s) a crashed run left in processing/") }
        if !report.byStatus.isEmpty {
            lines.append("  by status: " + report.byStatus.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
        }
        if let triage = report.triage {
            let order = TriageDecision.allKinds
            let counts = triage.byDecision.sorted { (order.firstIndex(of: $0.key) ?? 99) < (order.firstIndex(of: $1.key) ?? 99) }
            if !counts.isEmpty { lines.append("  triage: " + counts.map { "\($0.key) \($0.value)" }.joined(separator: ", ")) }
            if triage.reevaluated > 0 { lines.append("  re-evaluated \(triage.reevaluated) alert(s) parked by a maintenance window that is over") }
            if triage.replayed > 0 { lines.append("  triaged again \(triage.replayed) alert(s) an interrupted run had recorded") }
            for window in triage.expiredWindows {
                lines.append(
                    "  maintenance window #\(window.id) (\(window.host ?? "all hosts")) ended; it suppressed \(window.suppressedCount) alert(s)")
            }
            for escalation in triage.escalations { lines.append("  ESCALATED: \(escalation.summary)") }
            for flap in triage.flapReports { lines.append("  flapping: \(flap.summary)") }
        }
        if let warning = report.triageWarning { lines.append("  warning: \(warning)") }
        if let warning = report.sharedWarning { lines.append("  warning: \(warning)") }
        if let remediation = report.remediation, !remediation.items.isEmpty || remediation.deferred > 0 {
            let mode = configuration.remediation.mode == .dryRun ? "dry-run: nothing is executed" : "execute"
            lines.append("  remediation (\(mode)):")
            for item in remediation.items {
                let id = item.id.map { " #\($0)" } ?? ""
                lines.append("    \(item.kind.rawValue)\(id)  \(item.alertKey) on \(item.host), tier \(item.tier): \(item.reason.prefix(160))")
                for command in item.commands { lines.append("        $ \(command)") }
                if item.kind == .escalated, item.reason.hasPrefix("needs approval"), let id = item.id {
                    lines.append("        approve with `jarvis approve \(id)`, or `jarvis reject \(id)`")
                }
            }
            if remediation.deferred > 0 {
                lines.append("    \(remediation.deferred) more actionable alert(s) wait for the next run (remediation.max_per_run)")
            }
        }
        if let learning = report.remediation?.learning {
            var line = "  learning: \(learning.outcomes) settled outcome(s) taught"
            for event in learning.events {
                line += "; pattern #\(event.patternID) \(event.kind.rawValue)" + (event.toTier.map { " (tier \($0.rawValue))" } ?? "")
            }
            lines.append(line)
        }
        if list && !report.recorded.isEmpty {
            lines.append("  alerts:")
            let width = min(48, report.recorded.map(\.alertKey.count).max() ?? 0)
            for item in report.recorded {
                let key =
                    item.alertKey.count > width
                    ? String(item.alertKey.prefix(width - 1)) + "…" : item.alertKey.padding(toLength: width, withPad: " ", startingAt: 0)
                let status = item.status.rawValue.padding(toLength: 8, withPad: " ", startingAt: 0)
                let note = item.isNew ? "recorded " : "duplicate"
                lines.append("    \(note)  \(status) \(key)  \(item.summary.prefix(60))")
                if let decision = item.decision {
                    lines.append("        → \(decision.reason.prefix(120))")
                }
            }
            if report.alerts > report.recorded.count { lines.append("    … and \(report.alerts - report.recorded.count) more") }
        }
        for rejection in report.rejected { lines.append("  rejected \(rejection.file): \(rejection.reason)") }
        if let delivery = report.delivery, delivery.skipped == nil || !delivery.delivered.isEmpty { lines.append("  \(delivery.summary)") }
        if report.idle { lines.append("  nothing due: no window ends, verification or Discord retry before the next run (journal not opened)") }
        lines.append("  store: \(mode)")
        if let flush = report.flush {
            lines.append("  flush: \(flush.summary)")
        } else if !configuration.isEmbedded {
            lines.append("  flush: skipped, a drain is running")
        }
        if report.stoppedEarly { lines.append("  stopped early by a signal; the rest of the spool waits for the next run") }
        return lines.joined(separator: "\n")
    }
}
