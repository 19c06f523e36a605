import ArgumentParser
import Foundation
import JarvisCore
import JarvisJobs
import JarvisSpool

struct Approve: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "approve",
        abstract: "Run a high-risk plan that jarvis parked for a person's approval.",
        discussion: """
            High-risk plans are never run automatically: `jarvis ingest` records them as waiting \
            for approval and escalates. `jarvis approve ID` checks the plan against the command \
            policy again and then runs it (in dry-run mode it only records it). The ID is shown \
            in the ingest summary and the escalation message.

            Examples:
              jarvis approve 42
              jarvis reject 42 --reason "restarting the database needs a maintenance window"
            """)

    @OptionGroup var options: GlobalOptions
    @Argument(help: "The remediation's id.") var id: Int64

    func run() throws {
        RunContext.execute("approve", options) { context in
            let stage = RemediationStage(
                configuration: context.configuration, journal: try context.openJournal(),
                executor: LiveRemediationExecutor(settings: context.configuration.ssh), locks: FileLocks(), agent: nil, now: { .now() },
                runStartedAt: .now())
            let item = try stage.approve(id: id)
            IdleMarker.remove(context.configuration)  // a verification to follow
            var lines = ["remediation #\(id) \(item.kind.rawValue): \(item.alertKey) on \(item.host): \(item.reason)"]
            for command in item.commands { lines.append("  $ \(command)") }
            let text = lines.joined(separator: "\n")
            Console.print(text)
            return item.kind == .failed ? RunOutcome(exitCode: JarvisExit.software, result: "failed", summary: text) : .ok(text)
        }
    }
}

struct Reject: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reject",
        abstract: "Refuse a high-risk plan that jarvis parked for approval; it never runs.")

    @OptionGroup var options: GlobalOptions
    @Argument(help: "The remediation's id.") var id: Int64
    @Option(help: "Why (recorded with the plan).") var reason = "refused"

    func run() throws {
        RunContext.execute("reject", options) { context in
            let stage = RemediationStage(
                configuration: context.configuration, journal: try context.openJournal(),
                executor: LiveRemediationExecutor(settings: context.configuration.ssh), locks: FileLocks(), agent: nil, now: { .now() },
                runStartedAt: .now())
            let item = try stage.reject(id: id, reason: reason)
            IdleMarker.remove(context.configuration)
            let text = "remediation #\(id) rejected: \(item.alertKey) on \(item.host)"
            Console.print(text)
            return .ok(text)
        }
    }
}
