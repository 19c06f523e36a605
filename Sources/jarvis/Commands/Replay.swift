import ArgumentParser
import Foundation
import JarvisCore
import JarvisJobs
import JarvisSQLite

struct Replay: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Re-run triage and pattern choice over recorded alerts; show what would differ. Runs and writes nothing.",
        discussion: """
            Takes the notifications recorded in the journal over a time range (--since/--until), \
            or the Alertmanager webhook bodies in a folder (--webhooks DIR, files in name order), \
            and triages them again with the current configuration against a scratch state, then \
            chooses a fix for each actionable alert with the current patterns and policy. It \
            prints the triage decisions that would differ from the recorded ones, the remediation \
            tiers that would differ, how many LLM diagnoses tier-1 patterns would have avoided \
            (and the tokens they spent), and which patterns would have fired. Nothing is \
            executed, no LLM is called, and nothing is written to the journal or PostgreSQL.

            Examples:
              jarvis replay --since 7d
              jarvis replay --since 2026-11-01T00:00:00Z --until 2026-12-01T00:00:00Z --json
              jarvis replay --webhooks ./captured-webhooks
            """)

    @OptionGroup var options: GlobalOptions
    @Option(help: "Start of the range: RFC 3339, or a duration back from now (7d, 12h).") var since: String?
    @Option(help: "End of the range (RFC 3339 or duration back from now) [now].") var until: String?
    @Option(help: "A folder of Alertmanager webhook bodies (JSON) instead of recorded history.") var webhooks: String?
    @Flag(help: "Print JSON.") var json = false

    func validate() throws {
        if (since == nil) == (webhooks == nil) { throw ValidationError("give exactly one of --since and --webhooks") }
    }

    static func time(_ text: String, now: Timestamp, option: String) throws -> Timestamp {
        if let time = Timestamp(rfc3339: text) { return time }
        guard let seconds = try? DurationParser.parse(text) else {
            throw UsageProblem("\(option) \(text): expected an RFC 3339 time or a duration such as 7d")
        }
        return now.adding(seconds: -Double(seconds))
    }

    func run() throws {
        RunContext.execute("replay", options, recordRun: false) { context in
            let now = Timestamp.now()
            let journal = try context.openJournal()
            var job = ReplayJob(configuration: context.configuration, patterns: try journal.patterns())
            var notifications: [RecordedNotification] = []
            var source: String
            var skipped = 0
            if let webhooks {
                let names: [String]
                do {
                    names = try FileManager.default.contentsOfDirectory(atPath: webhooks).filter { !$0.hasPrefix(".") }.sorted()
                } catch {
                    throw InputProblem("cannot read the folder \(webhooks)")
                }
                for name in names {
                    let path = webhooks + "/" + name
                    var isFolder: ObjCBool = false
                    guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), !isFolder.boolValue else { continue }
                    let webhook: AlertmanagerWebhook
                    do {
                        guard let data = FileManager.default.contents(atPath: path) else { throw WebhookDecodingError("cannot be read") }
                        webhook = try AlertmanagerWebhook.decode(data)
                    } catch let error as WebhookDecodingError {
                        Console.log(.warning, "skipped \(path): \(error.reason)")
                        skipped += 1
                        continue
                    } catch {
                        Console.log(.warning, "skipped \(path): not an Alertmanager webhook")
                        skipped += 1
                        continue
                    }
                    for alert in webhook.alerts {
                        let at = alert.status == .resolved ? (alert.endsAt ?? alert.startsAt) : alert.startsAt
                        let event = AlertEvent(
                            alert: alert, receiver: webhook.receiver, groupKey: webhook.groupKey ?? "", externalURL: webhook.externalURL,
                            sourceSHA256: "", receivedAt: at, runner: "")
                        notifications.append(RecordedNotification(event: event, decision: nil, tier: nil, tokens: 0))
                    }
                }
                source = "\(names.count - skipped) webhook file(s) in \(webhooks)" + (skipped > 0 ? " (\(skipped) skipped: not valid webhooks)" : "")
            } else {
                let from = try Self.time(since ?? "", now: now, option: "--since")
                let to = try until.map { try Self.time($0, now: now, option: "--until") } ?? now.adding(seconds: 1)
                notifications = try journal.history(from: from, to: to)
                job.windows = try journal.maintenanceWindows()
                source = "recorded notifications from \(from.rfc3339) to \(to.rfc3339)"
            }
            let report = job.run(notifications, now: now)
            let fired = report.patternsFired.sorted { $0.key < $1.key }
            if json {
                let object: JSONValue = .object([
                    "notifications": .number(Double(report.notifications)), "actionable": .number(Double(report.actionable)),
                    "tiers": .object(Dictionary(uniqueKeysWithValues: report.tiers.map { ("\($0.key)", .number(Double($0.value))) })),
                    "llm_calls_avoided": .number(Double(report.llmCallsAvoided)), "tokens_saved": .number(Double(report.tokensSaved)),
                    "patterns_fired": .array(fired.map { .object(["pattern_id": .number(Double($0.key)), "count": .number(Double($0.value))]) }),
                    "changed_decisions": .array(
                        report.changedDecisions.map { .object(["key": .string($0.key), "recorded": .string($0.was), "replayed": .string($0.now)]) }),
                    "changed_tiers": .array(
                        report.changedTiers.map {
                            .object(["key": .string($0.key), "recorded": .number(Double($0.was)), "replayed": .number(Double($0.now))])
                        }),
                ])
                Console.print(object.jsonText)
            } else {
                var lines = [
                    "replay of \(source): \(report.notifications) notification(s), \(report.actionable) actionable (nothing executed, nothing written)"
                ]
                lines.append(
                    "  tiers: " + [1, 2, 3].map { "tier \($0) \(report.tiers[$0] ?? 0)" }.joined(separator: ", ")
                        + "; LLM calls avoided: \(report.llmCallsAvoided) (\(report.tokensSaved) tokens)")
                for (id, count) in fired { lines.append("  pattern #\(id) would fire \(count) time(s)") }
                for change in report.changedDecisions.prefix(50) { lines.append("  decision differs: \(change.key): \(change.was) → \(change.now)") }
                for change in report.changedTiers.prefix(50) {
                    lines.append("  tier differs: \(change.key): tier \(change.was) → tier \(change.now)")
                }
                if report.changedDecisions.count + report.changedTiers.count > 100 { lines.append("  … (use --json for every difference)") }
                Console.print(lines.joined(separator: "\n"))
            }
            return .ok("replayed \(report.notifications) notifications")
        }
    }
}
