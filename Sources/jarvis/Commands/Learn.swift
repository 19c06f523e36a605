import ArgumentParser
import Foundation
import JarvisCore
import JarvisJobs
import JarvisSQLite

struct Learn: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "learn",
        abstract: "Teach the remediation patterns the outcomes settled since the last run.",
        discussion: """
            Reads the remediation outcomes settled since its cursor. Only verified outcomes (the \
            alert resolved after the fix) and failed ones (it did not) teach; unverified ones \
            never do. A verified fix the LLM proposed becomes a pattern (parameter values equal \
            to the alert's labels become {{labels.NAME}} bindings); a pattern's successes count \
            distinct occurrences; its confidence is (s+1)/(s+f+2), decayed with age. A pattern \
            reaches tier 1 (runs with no LLM call) at confidence 0.90 and 5 verified successes, \
            tier 2 (an LLM hint) at 0.70 and 3. Every promotion and demotion is recorded in \
            pattern_events. Each outcome is taught in its own transaction with the cursor, so \
            a run that is killed and run again counts every outcome exactly once. `jarvis \
            ingest` does the same for the outcomes it settles.

            With PostgreSQL configured, PostgreSQL learns from the outcomes of every runner: \
            this run first sends its journal, then teaches there every outcome no runner has \
            taught yet (one at a time under a lock all runners share, each marked taught in the \
            same transaction, so `learn` on two runners at once counts each outcome once), and \
            copies the patterns into the local cache that remediation chooses fixes from. With \
            PostgreSQL away it exits 75 and the outcomes wait; the cache is used as it is. \
            Run it from jarvis-learn.timer.

            Examples:
              jarvis learn
              jarvis patterns list
            """)

    @OptionGroup var options: GlobalOptions

    func run() throws {
        RunContext.execute("learn", options) { context in
            let configuration = context.configuration
            let journal = try context.openJournal()
            let report: LearnReport
            if let shared = context.learning {
                _ = try context.shareNow(journal)  // this runner's settled outcomes, to be taught with the others
                do {
                    report = try SharedLearningJob.teach(shared, runner: configuration.runner, now: .now(), shouldStop: { StopSignal.isRequested })
                } catch let failure as StoreFailure {
                    let text =
                        "learn: PostgreSQL \(failure.description); the outcomes wait until it answers, and remediation uses the local copy of the patterns"
                    Console.log(.warning, text)
                    return .failed(failure, text)
                }
                if let warning = SharedLearningJob.refreshCache(from: shared, journal: journal, now: .now()) { Console.log(.warning, warning) }
            } else {
                // No lock: each outcome is read after the cursor inside its own write
                // transaction, so a concurrent ingest or learn never counts it twice.
                report = try journal.learn(forward: false, now: .now(), runner: configuration.runner, shouldStop: { StopSignal.isRequested })
            }
            var lines = [
                "learn: \(report.outcomes) settled outcome\(report.outcomes == 1 ? "" : "s") read\(context.coordination == nil ? "" : " (every runner's, in PostgreSQL)"), \(report.counted) counted"
                    + (report.repeats > 0 ? ", \(report.repeats) of an occurrence counted already" : "")
                    + "; \(report.count(.learned)) pattern(s) learned, \(report.count(.promoted)) promoted, \(report.count(.demoted)) demoted"
            ]
            for event in report.events {
                let tiers = [event.fromTier.map { "tier \($0.rawValue)" }, event.toTier.map { "tier \($0.rawValue)" }].compactMap { $0 }
                lines.append("  pattern #\(event.patternID) \(event.kind.rawValue) \(tiers.joined(separator: " → "))")
            }
            if report.stoppedEarly { lines.append("  stopped early by a signal; the rest waits for the next run") }
            let text = lines.joined(separator: "\n")
            Console.print(text)
            return .ok(text)
        }
    }
}
