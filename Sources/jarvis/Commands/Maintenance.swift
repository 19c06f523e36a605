import ArgumentParser
import Foundation
import JarvisCore
import JarvisJobs
import JarvisSQLite

struct Maintenance: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "maintenance",
        abstract: "Open, end and list maintenance windows: alerts for hosts in maintenance are recorded, not acted on.",
        discussion: """
            While a window is open, alerts for its host (or for every host, with --all) are \
            recorded as suppressed:maintenance and counted in the window; nothing is remediated. \
            A window ends at its planned end (--for/--until) or when you end it. Alerts still \
            firing when it ends are triaged again by the next `jarvis ingest`.

            Examples:
              jarvis maintenance start --host vps --for 2h --reason "kernel upgrade"
              jarvis maintenance start --all --until 2026-11-30T06:00:00Z --reason "router swap"
              jarvis maintenance status
              jarvis maintenance end --host vps
            """,
        subcommands: [Start.self, End.self, Status.self],
        defaultSubcommand: Status.self)

    struct Start: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "start",
            abstract: "Open a maintenance window for one host or for all hosts.",
            discussion: """
                Give exactly one of --host and --all. Without --for or --until the window stays \
                open until `jarvis maintenance end`. Durations: 90s, 45m, 2h, 1h30m, 1d. \
                Times: RFC 3339, e.g. 2026-11-30T06:00:00Z.
                """)

        @OptionGroup var options: GlobalOptions
        @Option(help: "The inventory host the window covers.") var host: String?
        @Flag(help: "Cover every host.") var all = false
        @Option(name: .customLong("for"), help: "How long the window lasts (e.g. 2h).") var duration: String?
        @Option(help: "When the window ends (RFC 3339, or as jarvis prints times: \"2026-11-30 06:00:00Z\").") var until: String?
        @Option(help: "Why (shown in notifications and `maintenance status`).") var reason: String
        @Option(help: "Who opens it [$SUDO_USER, $USER].") var author: String?

        func validate() throws {
            if (host == nil) == !all { throw ValidationError("give exactly one of --host NAME and --all") }
            if duration != nil && until != nil { throw ValidationError("give at most one of --for and --until") }
            if reason.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { throw ValidationError("--reason must not be empty") }
        }

        func run() throws {
            RunContext.execute("maintenance", options) { context in
                let configuration = context.configuration
                if let host, configuration.inventory.host(named: host) == nil {
                    let known = configuration.hosts.map(\.name).joined(separator: ", ")
                    throw UsageProblem("no host \"\(host)\" in the inventory (\(known.isEmpty ? "the inventory is empty" : "known: \(known)"))")
                }
                let now = Timestamp.now()
                var endsAt: Timestamp?
                if let duration {
                    do {
                        endsAt = now.adding(seconds: Double(try DurationParser.parse(duration)))
                    } catch {
                        throw UsageProblem("--for \(duration): \(error)")
                    }
                } else if let until {
                    // Also as jarvis prints times: `2026-11-30 06:00:00Z`.
                    let written = until.dropFirst(10).first == " " ? until.prefix(10) + "T" + until.dropFirst(11) : until
                    guard let time = Timestamp(rfc3339: written) else {
                        throw UsageProblem("--until \(until): expected a UTC time such as 2026-11-30T06:00:00Z or \"2026-11-30 06:00:00Z\"")
                    }
                    guard time > now else { throw UsageProblem("--until \(until) is not in the future") }
                    endsAt = time
                }
                let environment = ProcessInfo.processInfo.environment
                let who = author ?? environment["SUDO_USER"] ?? environment["USER"] ?? "unknown"
                let journal = try context.openJournal()
                let window = try journal.startMaintenance(
                    host: host, reason: reason, author: who, startsAt: now, endsAt: endsAt, forward: !configuration.isEmbedded,
                    runner: configuration.runner)
                IdleMarker.remove(configuration)  // the next ingest must see the new window
                try context.notify([.maintenanceStarted(window)], journal: journal)
                let summary =
                    "maintenance window #\(window.id) opened for \(host ?? "all hosts")"
                    + (endsAt.map { " until \($0.displayText)" } ?? " until ended by hand") + ": \(reason)"
                Console.print(summary)
                if let shared = try context.shareNow(journal) { Console.print(shared) }
                return .ok(summary)
            }
        }
    }

    struct End: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "end",
            abstract: "End open maintenance windows now: by id, by host, or all of them.",
            discussion: "Alerts the windows suppressed that are still firing are triaged again by the next `jarvis ingest`.")

        @OptionGroup var options: GlobalOptions
        @Option(help: "The window's id (see `jarvis maintenance status`).") var id: Int64?
        @Option(help: "End the open windows of this host.") var host: String?
        @Flag(help: "End every open window.") var all = false

        func validate() throws {
            if [id != nil, host != nil, all].filter({ $0 }).count != 1 { throw ValidationError("give exactly one of --id N, --host NAME and --all") }
        }

        func run() throws {
            RunContext.execute("maintenance", options) { context in
                let now = Timestamp.now()
                let journal = try context.openJournal()
                context.refreshShared(journal)  // a window another runner opened can be ended here
                let open = try journal.maintenanceWindows(includeEnded: false, now: now)
                let chosen = open.filter { window in
                    if let id { return window.id == id }
                    if let host { return window.host == host }
                    return true
                }
                guard !chosen.isEmpty else {
                    let what = id.map { "window #\($0)" } ?? host.map { "window for \($0)" } ?? "window"
                    let summary = "no open maintenance \(what); nothing ended"
                    Console.print(summary)
                    return .ok(summary)
                }
                let ended = try journal.endMaintenance(ids: chosen.map(\.id), at: now, forward: !context.configuration.isEmbedded)
                IdleMarker.remove(context.configuration)  // parked alerts are re-evaluated by the next ingest
                try context.notify(ended.map { DiscordNotification.maintenanceEnded($0, at: now) }, journal: journal)
                for window in ended {
                    Console.print(
                        "maintenance window #\(window.id) (\(window.host ?? "all hosts")) ended after "
                            + "\(DurationParser.format(seconds: window.duration(upTo: now))); it suppressed \(window.suppressedCount) alert(s)")
                }
                if let shared = try context.shareNow(journal) { Console.print(shared) }
                return .ok("\(ended.count) maintenance window(s) ended")
            }
        }
    }

    struct Status: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "status",
            abstract: "List maintenance windows: the open ones, then the last ended ones.")

        @OptionGroup var options: GlobalOptions
        @Flag(help: "Print JSON instead of a table.") var json = false

        func run() throws {
            RunContext.execute("maintenance", options, recordRun: false) { context in
                let now = Timestamp.now()
                // With PostgreSQL, windows every runner opened; else (or while it is away) the local ones.
                let windows: [MaintenanceWindow]
                if FileManager.default.fileExists(atPath: context.configuration.journalPath) || context.coordination != nil {
                    let journal = try context.openJournal()
                    context.refreshShared(journal)
                    windows = try journal.maintenanceWindows()
                } else {
                    windows = []
                }
                let open = windows.filter { !$0.hasEnded(by: now) }
                let ended = windows.filter { $0.hasEnded(by: now) }.prefix(10)
                if json {
                    func object(_ window: MaintenanceWindow) -> [String: Any] {
                        [
                            "id": window.id, "host": window.host ?? NSNull(), "reason": window.reason, "author": window.author,
                            "starts_at": window.startsAt.rfc3339, "ends_at": window.endsAt?.rfc3339 ?? NSNull(),
                            "ended_at": window.endedAt?.rfc3339 ?? NSNull(), "suppressed_count": window.suppressedCount,
                            "active": window.isActive(at: now),
                        ]
                    }
                    let document: [String: Any] = ["open": open.map(object), "recently_ended": ended.map(object)]
                    let data = try JSONSerialization.data(withJSONObject: document, options: [.prettyPrinted, .sortedKeys])
                    Console.print(String(decoding: data, as: UTF8.self))
                    return .ok("\(open.count) open")
                }
                if windows.isEmpty {
                    Console.print("no maintenance windows; open one with `jarvis maintenance start --host NAME --for 2h --reason TEXT`")
                    return .ok("none")
                }
                var lines = ["open maintenance windows: \(open.isEmpty ? "none" : String(open.count))"]
                for window in open {
                    let end = window.endsAt.map { "until \($0.displayText)" } ?? "until ended by hand"
                    let state = window.isActive(at: now) ? "" : " (starts later)"
                    lines.append(
                        "  #\(window.id) \(window.host ?? "all hosts"): \(window.reason) — by \(window.author), since \(window.startsAt.displayText), \(end)\(state); \(window.suppressedCount) alert(s) suppressed"
                    )
                }
                if !ended.isEmpty { lines.append("recently ended:") }
                for window in ended {
                    lines.append(
                        "  #\(window.id) \(window.host ?? "all hosts"): \(window.reason) — \(DurationParser.format(seconds: window.duration(upTo: now))), \(window.suppressedCount) alert(s) suppressed"
                    )
                }
                Console.print(lines.joined(separator: "\n"))
                return .ok("\(open.count) open")
            }
        }
    }
}

/// A command line that names something that does not exist (exit 64, EX_USAGE).
struct UsageProblem: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
