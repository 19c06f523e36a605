import ArgumentParser
import Foundation
import JarvisCore
import JarvisJobs

struct ProbeHosts: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "probe-hosts",
        abstract: "Check that every host answers on its SSH port and update its ONLINE/OFFLINE/CHECKING state.",
        discussion: """
            Probes every host of the inventory at once: a TCP connect, then the SSH \
            identification banner, within ssh.probe_timeout. A run takes about one probe \
            timeout, however many hosts are silent. A `local: true` host runs `true` instead, \
            without SSH and without a shell.

            Host states are kept in the state folder, so every run carries on from the last:

            ONLINE: the host answers. After ssh.offline_after (3) failed attempts in a row \
            (a failed probe is one attempt) it becomes OFFLINE.

            OFFLINE: probed again only once ssh.recheck_interval (300 s) has passed since its \
            last check; until then the run lists it as skipped, with the time of its next check.

            CHECKING: was OFFLINE and answered a probe. The next run that finds it \
            answering opens an SSH session and runs `true` (so the timer alone brings a host \
            back): success makes it ONLINE, with one "host recovered" message; a failure \
            makes it OFFLINE again. A remediation's session counts too.

            Each state change is logged once on stderr and recorded: with PostgreSQL as a \
            host_status_log row, delivered by `jarvis drain` or the next ingest; in embedded \
            mode in the last 1,000 changes kept in the state folder.

            Examples:
              jarvis probe-hosts               # probe, update the states, print a table
              jarvis probe-hosts --auth        # also log in and run `true`
              jarvis probe-hosts --dry-run     # which hosts a run would probe, and why
              jarvis probe-hosts --json | jq '.hosts[] | select(.transition != null)'

            Exit codes: 0 when the run completed, whatever the states of the hosts (they are \
            data: read them with `jarvis hosts`); 75 when another probe-hosts run holds the \
            lock; 74 when the state cannot be written; 78 for a configuration error.
            """)

    @OptionGroup var options: GlobalOptions

    @Flag(
        help: "Open an authenticated SSH session on every host that answers (not only CHECKING ones) and run `true`; success makes the host ONLINE.")
    var auth = false

    @Flag(help: "Plan only: print which hosts would be probed or skipped and why; probe nothing, change nothing.")
    var dryRun = false

    @Flag(help: "Print JSON instead of a table.")
    var json = false

    func run() throws {
        RunContext.execute("probe-hosts", options, recordRun: !dryRun) { context in
            let configuration = context.configuration
            let job = ProbeHostsJob(
                inventory: configuration.inventory, settings: configuration.ssh, authenticate: auth,
                checks: LiveEnvironment.hostChecks(configuration.ssh), now: LiveEnvironment.now)
            if configuration.hosts.isEmpty {
                let summary = "probe-hosts: the inventory is empty; add a hosts: section to \(configuration.source)"
                Console.print(json ? #"{"hosts": [], "summary": {"hosts": 0}}"# : summary)
                return .ok(summary)
            }
            let report: ProbeHostsReport
            if dryRun {
                report = job.dryRun(try context.readHostStates(), at: .now())
            } else {
                let lockPath = configuration.lockPath("probe-hosts")
                guard let lock = try LiveEnvironment.locks.acquire(lockPath, timeout: 0) else {
                    throw LockBusy(
                        description: "another probe-hosts run\(LiveEnvironment.locks.holder(lockPath).map { " (pid \($0))" } ?? "") is running")
                }
                defer { lock.release() }
                let store = try context.openHostStateStore()
                let journal = try context.openJournal()
                // With other runners: one probe-hosts run at a time across them (so a change is
                // one transition), starting from the states they recorded, passing ours on at once.
                let shared = (try? context.coordination?.acquireLock("probe-hosts", timeout: configuration.ssh.probeTimeout * 4 + 10)) ?? false
                defer { if shared { context.coordination?.releaseLock("probe-hosts") } }
                context.refreshShared(journal)
                defer { _ = try? context.shareNow(journal) }
                let dispatcher = context.dispatcher(journal: journal)
                let notifier = OutboxHostNotifier(log: context.hostNotifier, journal: journal, dispatcher: dispatcher, now: { .now() })
                report = try Blocking.wait { try await job.run(store: store, notifier: notifier) }
                try context.notify([], journal: journal, through: dispatcher)
            }
            let rendering = ProbeHostsRendering(report: report, embedded: configuration.isEmbedded)
            Console.print(json ? try rendering.json() : rendering.text)
            return .ok(rendering.summary)
        }
    }
}

/// The table, summary line and JSON of a probe-hosts run.
struct ProbeHostsRendering {
    var report: ProbeHostsReport
    var embedded: Bool

    var text: String {
        var rows = [["HOST", "ENDPOINT", "STATE", "FAILS", "TIME", report.dryRun ? "PLAN" : "RESULT"]]
        for entry in report.entries {
            let state = entry.transition.map { "\($0.from.rawValue) → \($0.to.rawValue)" } ?? entry.after.state.rawValue
            let time = entry.duration.map(HostText.duration) ?? "-"
            rows.append([entry.host.name, HostText.endpoint(entry.host), state, String(entry.after.consecutiveFailures), time, result(entry)])
        }
        return (HostText.table(rows) + [summary]).joined(separator: "\n")
    }

    private func result(_ entry: ProbeHostsReport.Entry) -> String {
        if !entry.plan.due { return "skipped: " + skipReason(entry) }
        if report.dryRun {
            if entry.host.local { return "would run `true` locally" }
            return report.authenticate || entry.before.state == .checking
                ? "would probe, then log in and run `true` if it answers" : "would probe (TCP + SSH banner)"
        }
        return entry.outcome?.summary ?? "-"
    }

    private func skipReason(_ entry: ProbeHostsReport.Entry) -> String {
        let interval = HostText.seconds(report.settings.recheckInterval)
        guard let next = entry.plan.nextCheckAt else { return "OFFLINE, re-check interval \(interval) not passed" }
        return "OFFLINE, re-check interval \(interval) not passed; next probe in \(report.startedAt.age(now: next))"
    }

    var summary: String {
        let hosts = report.entries.count
        let skipped = report.skippedCount
        let interval = HostText.seconds(report.settings.recheckInterval)
        let skippedText = skipped == 0 ? "" : ", \(skipped) OFFLINE skipped (re-check interval \(interval) not passed)"
        let plural = hosts == 1 ? "" : "s"
        if report.dryRun {
            let plan = "would check \(report.checkedCount) of \(hosts) host\(plural)\(skippedText)"
            return "probe-hosts --dry-run: \(plan); nothing probed, nothing written"
        }
        let transitions = report.transitions.count
        let states = HostState.allCases.compactMap { state in report.stateCounts[state].map { "\($0) \(state.rawValue)" } }.joined(separator: ", ")
        var text = "probe-hosts: \(hosts) host\(plural), \(report.checkedCount) checked\(skippedText); "
        text += "\(report.succeededCount) ok, \(report.failedCount) failed; \(transitions) transition\(transitions == 1 ? "" : "s"); "
        text += "now \(states); \(HostText.duration(report.elapsed)) (probe timeout \(HostText.seconds(report.settings.probeTimeout)))"
        if transitions > 0 && !embedded { text += "; \(transitions) host_status_log row\(transitions == 1 ? "" : "s") queued for PostgreSQL" }
        return text
    }

    func json() throws -> String {
        let hosts: [[String: Any]] = report.entries.map { entry in
            var object: [String: Any] = [
                "host": entry.host.name, "address": entry.host.address, "port": entry.host.port, "local": entry.host.local,
                "checked": entry.plan.due, "state_before": entry.before.state.rawValue, "state": entry.after.state.rawValue,
                "consecutive_failures": entry.after.consecutiveFailures,
            ]
            object["skipped_reason"] = entry.plan.due ? NSNull() : skipReason(entry)
            object["next_check_at"] = entry.plan.nextCheckAt?.rfc3339 ?? NSNull()
            object["outcome"] = entry.outcome?.kind ?? NSNull()
            object["detail"] = entry.outcome?.summary ?? NSNull()
            object["duration_ms"] = entry.duration?.milliseconds ?? NSNull()
            if let transition = entry.transition {
                object["transition"] = ["from": transition.from.rawValue, "to": transition.to.rawValue, "at": transition.at.rfc3339]
            } else {
                object["transition"] = NSNull()
            }
            return object
        }
        let counts = Dictionary(uniqueKeysWithValues: report.stateCounts.map { ($0.key.rawValue, $0.value) })
        let object: [String: Any] = [
            "dry_run": report.dryRun, "auth": report.authenticate, "started_at": report.startedAt.rfc3339,
            "elapsed_ms": report.elapsed.milliseconds, "probe_timeout_ms": Int(report.settings.probeTimeout * 1000),
            "recheck_interval_s": report.settings.recheckInterval, "hosts": hosts,
            "summary": [
                "hosts": report.entries.count, "checked": report.checkedCount, "skipped": report.skippedCount,
                "succeeded": report.succeededCount, "failed": report.failedCount, "transitions": report.transitions.count, "states": counts,
                "text": summary,
            ],
        ]
        let data = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])
        return String(decoding: data, as: UTF8.self)
    }
}
