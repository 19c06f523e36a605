import ArgumentParser
import Foundation
import JarvisCore
import JarvisJobs
import JarvisPostgres
import JarvisSQLite
import JarvisSpool

/// What a subcommand needs: the loaded configuration and the local stores. Built once per
/// process; the live adapters come from `LiveEnvironment` (the composition root).
struct RunContext {
    let configuration: JarvisConfiguration
    let command: String
    /// PostgreSQL as the meeting point of runners, connected on first use; nil in embedded mode.
    private let runnerCoordination: LiveRunnerCoordination?
    /// PostgreSQL as the meeting point of runners; nil in embedded mode.
    var coordination: (any RunnerCoordination)? { runnerCoordination }
    /// PostgreSQL as the one learner of every runner's outcomes; nil in embedded mode.
    var learning: (any SharedLearning)? { runnerCoordination }

    init(configuration: JarvisConfiguration, command: String) {
        self.configuration = configuration
        self.command = command
        runnerCoordination = configuration.postgres.map(LiveEnvironment.runnerCoordination)
    }

    /// Loads the configuration, runs `body`, records the run for `jarvis status`, and exits
    /// with the code `body` returns. Errors become one-line messages and sysexits codes.
    static func execute(_ command: String, _ options: GlobalOptions, recordRun: Bool = true, _ body: (RunContext) throws -> RunOutcome) -> Never {
        Console.verbose = options.verbose
        StopSignal.install()
        let configuration: JarvisConfiguration
        do {
            // Only the problems that concern this subcommand stop it: a missing LLM key does
            // not keep drain from draining.
            let degraded: [ConfigurationProblem]
            (configuration, degraded) = try ConfigurationLoader().load(options.overrides, for: command)
            for problem in degraded { Console.log(.warning, "\(problem); \(command) runs without it this time") }
        } catch {
            Console.log(.error, error.description)
            exit(JarvisExit.config)
        }
        let context = RunContext(configuration: configuration, command: command)
        let started = Timestamp.now()
        let outcome: RunOutcome
        do {
            try context.ensureStateDir()
            outcome = try body(context)
        } catch {
            let (code, message) = JarvisExit.classify(error)
            Console.log(code == JarvisExit.tempFail ? .warning : .error, message)
            outcome = RunOutcome(exitCode: code, result: code == JarvisExit.tempFail ? "degraded" : "failed", summary: message)
        }
        let finished = Timestamp.now()
        if recordRun {
            RunLog(stateDir: configuration.stateDir).record(
                RunRecord(
                    command: command, startedAt: started, finishedAt: finished, result: outcome.result, exitCode: outcome.exitCode,
                    summary: outcome.summary, pid: getpid()))
            // For `jarvis status` on every runner; only when this run talked to PostgreSQL
            // already (a run that did not need it does not wait for it).
            if let coordination = context.runnerCoordination, coordination.isOpen {
                try? coordination.recordRun(
                    RunnerActivity(
                        runner: configuration.runner, command: command, result: outcome.result,
                        summary: String(outcome.summary.split(separator: "\n").first ?? ""), at: .now()))
            }
        }
        context.writeMetrics(started: started, finished: finished, outcome: outcome)
        exit(outcome.exitCode)
    }

    /// Writes this run's Prometheus textfile metrics when `metrics_dir` is set, and refreshes
    /// the store's metrics unless the run did not open the journal (an idle ingest, an
    /// enqueue) or they are fresh. With PostgreSQL configured the counters are the fleet's,
    /// read from it, unless this run found it away (then this runner's, labelled so).
    /// Metrics are advisory: a failure is a warning.
    func writeMetrics(started: Timestamp, finished: Timestamp, outcome: RunOutcome) {
        guard let metrics = MetricsWriter.configured(configuration) else { return }
        do {
            try metrics.writeRun(command: command, started: started, finished: finished, exitCode: outcome.exitCode)
            if !outcome.idle && command != "enqueue" && !metrics.stateIsFresh(now: finished) {
                let fleet = configuration.postgres.flatMap { settings in
                    outcome.exitCode == JarvisExit.ok ? { try LivePostgres.fleetCounters(settings) } : nil
                }
                try metrics.writeState(
                    configuration: configuration, journal: try openJournal(), spool: try? openSpool().backlog(), now: finished, fleet: fleet)
            }
        } catch {
            Console.log(.warning, "metrics: \(error)")
        }
    }

    /// Creates the state folder (journal, locks, run log) if missing.
    func ensureStateDir() throws {
        if mkdir(configuration.stateDir, 0o750) == 0 || errno == EEXIST { return }
        do {
            try FileManager.default.createDirectory(atPath: configuration.stateDir, withIntermediateDirectories: true)
        } catch {
            throw JournalError("cannot create the state folder \(configuration.stateDir): \(error.localizedDescription)")
        }
    }
}

/// How a subcommand ended.
struct RunOutcome {
    var exitCode: Int32
    /// ok / degraded / failed, shown by `jarvis status`.
    var result: String
    var summary: String
    /// True when the run had nothing to do and did not open the journal: the store's
    /// metrics are not refreshed either (the timer's empty ingest runs stay cheap).
    var idle = false

    static func ok(_ summary: String) -> RunOutcome { RunOutcome(exitCode: JarvisExit.ok, result: "ok", summary: summary) }
    static func degraded(_ summary: String) -> RunOutcome { RunOutcome(exitCode: JarvisExit.tempFail, result: "degraded", summary: summary) }
    /// The run completed (rows are safe in the journal) but PostgreSQL refused it: exit 78.
    static func misconfigured(_ summary: String) -> RunOutcome { RunOutcome(exitCode: JarvisExit.config, result: "misconfigured", summary: summary) }

    /// `degraded`, or `misconfigured` when the store's failure is a configuration error.
    static func failed(_ failure: StoreFailure, _ summary: String) -> RunOutcome {
        failure.misconfigured ? .misconfigured(summary) : .degraded(summary)
    }
}
