import ArgumentParser
import Foundation
import JarvisCore
import JarvisJobs
import JarvisSQLite

struct Patterns: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "patterns",
        abstract: "List, inspect, enable, disable, export and import the learned remediation patterns.",
        discussion: """
            A pattern is a symptom (alertname and labels) and the catalog actions that fixed it, \
            with its verified successes and failures. Tier 1 patterns run with no LLM call; \
            `jarvis patterns disable ID` stops a pattern from ever being used again (enable \
            brings it back). The 14 shipped seeds are patterns 1–14.

            Export/import format (stable): {"format": "jarvis-patterns", "version": 1, \
            "patterns": [{"key", "alertname", "source", "enabled", "summary", "symptom", \
            "required_labels", "risk", "actions", "successes", "failures", "last_used_at", \
            "created_at", "id", "confidence", "tier"}]}; id, confidence and tier are ignored on \
            import. Import checks every action against the catalog and the command policy and \
            stores all patterns or none; a pattern that exists already keeps its counts unless \
            --replace-statistics is given, and its enabled state.

            With PostgreSQL configured, enable, disable and import are sent to PostgreSQL as the \
            changes they are (never as a copy of the pattern, so they cannot undo counts another \
            runner taught meanwhile) and apply to every runner; with PostgreSQL away they change \
            this runner's copy and wait in its journal until `jarvis drain` sends them, once.

            Examples:
              jarvis patterns list
              jarvis patterns show 15 --json
              jarvis patterns disable 15
              jarvis patterns export patterns.json
              jarvis patterns import patterns.json
            """,
        subcommands: [List.self, Show.self, Enable.self, Disable.self, Export.self, Import.self],
        defaultSubcommand: List.self)

    /// The text line of one pattern.
    static func line(_ p: LearnedPattern, now: Timestamp) -> String {
        let state = p.enabled ? "" : " DISABLED"
        let confidence = String(format: "%.2f", p.confidence(now: now))
        let actions = PatternCommands.text(p.actions)
        return
            "#\(p.id)  tier \(p.tier(now: now).rawValue)  \(p.evidence)  confidence \(confidence)  \(p.source.rawValue)\(state)  \(p.alertname): \(actions)"
    }

    /// The journal (its copy of the patterns refreshed from PostgreSQL when configured) and
    /// the pattern. - Returns: also the warning when PostgreSQL could not be asked, logged
    /// here unless `warn` is false.
    static func open(_ context: RunContext, id: Int64, warn: Bool = true) throws -> (JournalDatabase, LearnedPattern, String?) {
        let journal = try context.openJournal()
        let warning = context.refreshPatterns(journal, warn: warn)
        guard let pattern = try journal.pattern(id: id) else { throw UsageProblem("no pattern #\(id) (see `jarvis patterns list`)") }
        return (journal, pattern, warning)
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list", abstract: "One line per pattern: id, tier, verified outcomes, confidence, actions.")
        @OptionGroup var options: GlobalOptions
        @Flag(help: "Print the patterns as a JSON array (the export format's pattern objects).") var json = false
        @Option(help: "Only patterns of this alertname.") var alertname: String?

        func run() throws {
            RunContext.execute("patterns", options, recordRun: false) { context in
                let now = Timestamp.now()
                let journal = try context.openJournal()
                context.refreshPatterns(journal)
                let patterns = try journal.patterns().filter { alertname == nil || $0.alertname == alertname }
                let text =
                    json
                    ? JSONValue.array(patterns.map { PatternDocument.json($0, now: now) }).jsonText
                    : (patterns.isEmpty ? "no patterns" : patterns.map { Patterns.line($0, now: now) }.joined(separator: "\n"))
                Console.print(text)
                return .ok("\(patterns.count) patterns")
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "show", abstract: "One pattern in full, with its history.",
            discussion: """
                With PostgreSQL configured the history is every runner's (each change names its \
                runner); with PostgreSQL away it is this runner's own events, and a warning says so.
                """)
        @OptionGroup var options: GlobalOptions
        @Argument(help: "The pattern's id.") var id: Int64
        @Flag(help: "Print JSON.") var json = false

        func run() throws {
            RunContext.execute("patterns", options, recordRun: false) { context in
                let now = Timestamp.now()
                let (journal, p, unrefreshed) = try Patterns.open(context, id: id, warn: false)
                let events = try Patterns.history(context, journal, id: id, unrefreshed: unrefreshed)
                if json {
                    var object = PatternDocument.json(p, now: now).objectValue ?? [:]
                    object["events"] = .array(
                        events.map { e in
                            .object([
                                "kind": .string(e.kind.rawValue), "from_tier": e.fromTier.map { .number(Double($0.rawValue)) } ?? .null,
                                "to_tier": e.toTier.map { .number(Double($0.rawValue)) } ?? .null,
                                "remediation_key": e.remediationKey.map(JSONValue.string) ?? .null, "recorded_at": .string(e.at.rfc3339),
                                "runner": .string(e.runner),
                            ])
                        })
                    Console.print(JSONValue.object(object).jsonText)
                } else {
                    var lines = [Patterns.line(p, now: now)]
                    if !p.summary.isEmpty { lines.append("  summary: \(p.summary)") }
                    lines.append("  symptom: \(p.symptom.parts.joined(separator: ", "))")
                    if !p.requiredLabels.isEmpty { lines.append("  needs labels: \(p.requiredLabels.joined(separator: ", "))") }
                    for action in p.actions { lines.append("  action: \(PatternCommands.text([action]))") }
                    lines.append("  last used: \(p.lastUsedAt?.rfc3339 ?? "never")")
                    for e in events {
                        let tiers = [e.fromTier, e.toTier].compactMap { $0.map { "tier \($0.rawValue)" } }.joined(separator: " → ")
                        let parts = [
                            e.at.rfc3339, e.kind.rawValue, tiers, e.runner.isEmpty ? "" : "on \(e.runner)", e.remediationKey.map { "by \($0)" } ?? "",
                        ]
                        lines.append("  " + parts.filter { !$0.isEmpty }.joined(separator: " "))
                    }
                    Console.print(lines.joined(separator: "\n"))
                }
                return .ok("pattern #\(id)")
            }
        }
    }

    /// The pattern's history: every runner's from PostgreSQL when it is configured and
    /// answers, else this runner's own, with one warning line that says so (`unrefreshed`:
    /// PostgreSQL did not answer the refresh already).
    static func history(_ context: RunContext, _ journal: JournalDatabase, id: Int64, unrefreshed: String?) throws -> [PatternEvent] {
        if let learning = context.learning {
            let alone = "the history below is this runner's alone"
            if let unrefreshed {
                Console.log(.warning, "\(unrefreshed); \(alone)")
            } else {
                do {
                    return try learning.patternEvents(patternID: id)
                } catch {
                    Console.log(.warning, "PostgreSQL did not answer (\(SharedState.oneLine(error))); \(alone)")
                }
            }
        }
        return try journal.patternEvents(patternID: id)
    }

    struct Enable: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "enable", abstract: "Allow a disabled pattern to be used again.")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "The pattern's id.") var id: Int64
        func run() throws { Patterns.set(id: id, enabled: true, options: options) }
    }

    struct Disable: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "disable", abstract: "Stop a pattern from ever being used (at any tier) until it is enabled again.")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "The pattern's id.") var id: Int64
        func run() throws { Patterns.set(id: id, enabled: false, options: options) }
    }

    static func set(id: Int64, enabled: Bool, options: GlobalOptions) -> Never {
        RunContext.execute("patterns", options) { context in
            let (journal, _, _) = try Patterns.open(context, id: id)
            let event = try journal.setPattern(
                id: id, enabled: enabled, forward: !context.configuration.isEmbedded, now: .now(), runner: context.configuration.runner)
            let text = "pattern #\(id) " + (event == nil ? "was \(enabled ? "enabled" : "disabled") already" : (enabled ? "enabled" : "disabled"))
            Console.print(text)
            if event != nil, let shared = try context.shareNow(journal) {
                Console.print(shared)
                context.refreshPatterns(journal)
            }
            return .ok(text)
        }
    }

    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "export", abstract: "Write every pattern as a jarvis-patterns JSON document (to FILE, or stdout).")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "The file to write; stdout when omitted.") var file: String?

        func run() throws {
            RunContext.execute("patterns", options, recordRun: false) { context in
                let patterns = try context.openJournal().patterns()
                let text = PatternDocument.export(patterns, now: .now())
                if let file {
                    do {
                        try (text + "\n").write(toFile: file, atomically: true, encoding: .utf8)
                    } catch {
                        throw FileWriteError("cannot write \(file): \(error.localizedDescription)")
                    }
                    Console.print("exported \(patterns.count) patterns to \(file)")
                } else {
                    Console.print(text)
                }
                return .ok("exported \(patterns.count) patterns")
            }
        }
    }

    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import",
            abstract: "Add patterns from a jarvis-patterns JSON document: all of them or, on any problem, none.",
            discussion: """
                Every action must be an enabled catalog action; a parameter is either a binding \
                {{labels.NAME}} to a label of the pattern's symptom (or required_labels) or a \
                literal the catalog's parameter pattern accepts, and literal plans must pass the \
                command policy. Problems are listed with their JSON path, and nothing is stored. \
                A pattern that exists already (same key) keeps its counts unless \
                --replace-statistics is given.
                """)
        @OptionGroup var options: GlobalOptions
        @Argument(help: "The document to read.") var file: String
        @Flag(help: "Take the file's successes, failures and dates for patterns that exist already.") var replaceStatistics = false
        @Flag(help: "Print the result as JSON.") var json = false

        func run() throws {
            RunContext.execute("patterns", options) { context in
                guard let handle = FileHandle(forReadingAtPath: file) else { throw InputProblem("cannot read \(file)") }
                defer { try? handle.close() }
                let data = (try? handle.read(upToCount: PatternDocument.maximumBytes + 1)) ?? nil
                guard let data else { throw InputProblem("cannot read \(file)") }
                let policy = RemediationCatalog(configuration: context.configuration).policy
                switch PatternDocument.parse(Array(data), policy: policy, now: .now()) {
                case .failure(let problems):
                    let shown = problems.problems.prefix(50).map(\.description)
                    let more = problems.problems.count > 50 ? ["… and \(problems.problems.count - 50) more"] : []
                    throw InputProblem(
                        "\(file): nothing imported, \(problems.problems.count) problem(s):\n  " + (shown + more).joined(separator: "\n  "))
                case .success(let patterns):
                    let journal = try context.openJournal()
                    context.refreshPatterns(journal)
                    let result = try journal.importPatterns(
                        patterns, replaceStatistics: replaceStatistics, forward: !context.configuration.isEmbedded, now: .now(),
                        runner: context.configuration.runner)
                    let text =
                        json
                        ? JSONValue.object(["added": .number(Double(result.added)), "updated": .number(Double(result.updated))]).jsonText
                        : "imported \(patterns.count) patterns from \(file): \(result.added) new, \(result.updated) existing"
                            + (result.updated > 0 && !replaceStatistics ? " (their counts kept)" : "")
                    Console.print(text)
                    let shared = try context.shareNow(journal)
                    if shared != nil { context.refreshPatterns(journal) }
                    if !json, let shared { Console.print(shared) }
                    return .ok(text)
                }
            }
        }
    }
}

/// Input that cannot be used (exit 65).
struct InputProblem: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
