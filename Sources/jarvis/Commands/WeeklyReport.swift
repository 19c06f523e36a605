import ArgumentParser
import Foundation
import JarvisCore
import JarvisJobs

struct WeeklyReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "weekly-report",
        abstract: "Write the weekly report (HTML with charts) and post it to Discord once per period.",
        discussion: """
            Reads the period's figures from the store of record (PostgreSQL, or SQLite in embedded \
            mode): remediation attempts and outcomes, success rate, time to resolve, top alerts and \
            hosts, tiers, LLM calls, tokens and cost (and what tier-1 fixes saved), patterns learned \
            and demoted, failure signatures, chronic alerts, host downtime, maintenance windows and \
            the journal's traffic. The database computes every figure.

            Writes a self-contained HTML page (no scripts, nothing fetched; light and dark; phone \
            width) to --html, by default STATE/reports/weekly-PERIOD.html, and queues one Discord \
            embed per period: a second run for the same period posts nothing (--resend posts again). \
            Prints the report as text on a terminal, or JSON with --json.

            Period: the last 7 days by default; --week 2026-W49 (Monday to Monday, local time); or \
            --since/--until (2026-12-01 = local midnight, or RFC 3339). Days are local days ($TZ).

            If PostgreSQL cannot be reached, the figures come from this runner's local rows, the \
            report says so, and the exit status is 75.

            Examples:
              jarvis weekly-report
              jarvis weekly-report --week 2026-W49 --html /srv/www/jarvis/week.html
              jarvis weekly-report --since 2026-11-01 --until 2026-12-01 --json --no-post
            """)

    @OptionGroup var options: GlobalOptions

    @Option(help: ArgumentHelp("An ISO week, e.g. 2026-W49, or last (the last complete week).", valueName: "week"))
    var week: String?

    @Option(help: ArgumentHelp("Start: a date (local midnight) or an RFC 3339 time [7 days before --until].", valueName: "time"))
    var since: String?

    @Option(help: ArgumentHelp("End, exclusive: a date or an RFC 3339 time [now].", valueName: "time"))
    var until: String?

    @Option(help: ArgumentHelp("Where to write the HTML page [STATE/reports/weekly-PERIOD.html].", valueName: "file"))
    var html: String?

    @Flag(help: "Print the report as JSON (the shape is documented in the README) instead of text.")
    var json = false

    @Flag(help: "Print the text report even when stdout is not a terminal.")
    var text = false

    @Flag(help: "Do not post to Discord.")
    var noPost = false

    @Flag(help: "Post to Discord again even if this period was posted already.")
    var resend = false

    func validate() throws {
        if json && text { throw ValidationError("give at most one of --json and --text") }
        if noPost && resend { throw ValidationError("--resend posts again; it cannot be combined with --no-post") }
    }

    func run() throws {
        RunContext.execute("weekly-report", options) { context in
            let configuration = context.configuration
            let now = Timestamp.now()
            let period: ReportPeriod
            do {
                period = try ReportPeriod.parse(week: week, since: since, until: until, now: now, timeZone: .current)
            } catch let error as ReportPeriodError {
                throw UsageProblem(error.description)
            }
            let journal = try context.openJournal()
            let job = WeeklyReportJob(period: period, journal: journal, connectStore: context.reportConnector, now: LiveEnvironment.now)
            let report = try job.build()

            let path = html ?? WeeklyReportJob.defaultHTMLPath(configuration, period: period)
            try WeeklyReportJob.writeAtomically(report.html, to: path)

            var posted = "Discord: not configured"
            var degraded = false
            if noPost {
                posted = "Discord: not posted (--no-post)"
            } else if configuration.discord.isEnabled {
                var notification = report.discordNotification
                if resend { notification.dedupKey += ":resend:\(now.rfc3339)" }
                let dispatcher = context.dispatcher(journal: journal)
                let queued = try dispatcher.enqueue([notification])
                let delivery = try dispatcher.deliverDue()
                if queued == 0 {
                    posted = "Discord: already posted for \(period.label) (--resend posts again)"
                } else if delivery.isDegraded {
                    posted = "Discord: queued; \(delivery.summary)"
                    degraded = true
                } else {
                    posted = "Discord: posted"
                }
            }

            if json {
                Console.print(report.json)
            } else if text || isatty(STDOUT_FILENO) == 1 {
                Console.print(report.text + "\n  html: \(path)\n  \(posted)")
            }
            let summary =
                "weekly-report \(period.label): \(report.totals.attempts) attempts, \(report.alertEvents) alert events; html \(path); \(posted)"
            if !json && !(text || isatty(STDOUT_FILENO) == 1) { Console.print(summary) }
            if case .localFallback = report.source {
                Console.log(.warning, report.source.note)
                return .degraded(summary)
            }
            return degraded ? .degraded(summary) : .ok(summary)
        }
    }
}
