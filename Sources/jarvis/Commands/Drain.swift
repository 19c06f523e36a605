import ArgumentParser
import JarvisCore
import JarvisJobs

struct Drain: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "drain",
        abstract: "Replay the journal into PostgreSQL after an outage.",
        discussion: """
            Moves journal rows to PostgreSQL in order, in batches, each batch in one transaction \
            with ON CONFLICT DO NOTHING: a replay never duplicates, and rows leave the journal only \
            after PostgreSQL committed them. Shows progress on a terminal and one summary line.

            Exits 0 when the journal is empty, 75 when PostgreSQL is unreachable or failed midway \
            (the remaining rows stay in the journal; run it again later).
            """)

    @OptionGroup var options: GlobalOptions

    @Option(help: "Rows per PostgreSQL transaction (default: drain.batch_size, 2000).")
    var batchSize: Int?

    func run() throws {
        RunContext.execute("drain", options) { context in
            guard let connect = context.storeConnector else {
                let summary = "drain: nothing to do in embedded mode (no PostgreSQL configured; SQLite is the store of record)"
                Console.print(summary)
                return .ok(summary)
            }
            let lockPath = context.configuration.lockPath("flush")
            guard let lock = try LiveEnvironment.locks.acquire(lockPath, timeout: context.configuration.drain.lockTimeout) else {
                throw LockBusy(
                    description:
                        "another drain or ingest flush\(LiveEnvironment.locks.holder(lockPath).map { " (pid \($0))" } ?? "") is writing to PostgreSQL"
                )
            }
            defer { lock.release() }
            var job = DrainJob(journal: try context.openJournal(), batchSize: batchSize ?? context.configuration.drain.batchSize, connect: connect)
            job.progress = { Console.progress("drain: rows", $0, $1) }
            job.shouldStop = { StopSignal.isRequested }
            let report = try job.run()
            let summary = "drain: " + report.summary
            Console.print(summary)
            if let failure = report.failure { return .failed(failure, summary) }
            if report.stopped { return .degraded(summary) }
            return .ok(summary)
        }
    }
}
