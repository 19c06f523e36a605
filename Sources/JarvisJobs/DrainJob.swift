import Foundation
import JarvisCore

/// Moves journal rows to the store of record: in order, in batches, idempotently.
///
/// A batch leaves the journal only after PostgreSQL committed it. A crash between the two
/// replays the batches committed since the last removal next time, and `ON CONFLICT DO
/// NOTHING` makes the replay a no-op.
public struct DrainJob {
    public var journal: any JournalQueue
    public var batchSize: Int
    /// Opens the store of record; throws `StoreFailure` when it cannot.
    public var connect: () throws -> any StoreOfRecord
    /// Called after each batch with (rows drained so far, rows there were at the start).
    public var progress: (Int, Int) -> Void = { _, _ in }
    /// Checked between batches: true after SIGTERM.
    public var shouldStop: () -> Bool = { false }
    /// The clock the journal's traffic is recorded with.
    public var now: () -> Timestamp = { Timestamp(epochSeconds: Date().timeIntervalSince1970) }
    /// Called when the journal is empty: waits until more rows may have been recorded (true)
    /// or none will be (false). The default ends the drain once the journal is empty; ingest's
    /// flush waits for its next group commit instead (`IngestFlush`).
    public var waitForRows: () -> Bool = { false }
    /// Committed rows are removed from the journal once this many wait (and whenever the
    /// drain pauses or ends).
    public var removalRows = 10_000

    public init(journal: any JournalQueue, batchSize: Int, connect: @escaping () throws -> any StoreOfRecord) {
        self.journal = journal
        self.batchSize = batchSize
        self.connect = connect
    }

    /// Drains until the journal is empty, the store fails, or a stop is requested.
    /// Never throws for the store being away: that is `DrainReport.failure`.
    /// - Throws: `JournalError` when the local journal itself fails.
    public func run() throws -> DrainReport {
        var report = DrainReport()
        var start = try journal.depth()
        while start.rows == 0 {
            guard waitForRows() else { return report }
            start = try journal.depth()
        }
        report.remaining = start.rows
        let store: any StoreOfRecord
        do {
            store = try connect()
        } catch {
            report.failure = StoreFailure(error)
            recordActivity(report, depthBefore: start.rows)
            return report
        }
        // Committed rows leave the journal a few batches at a time: each removal is a write
        // transaction that waits for ingest's group commit, and until it runs the rows are
        // only read past. A crash before it replays them, which the store ignores.
        // The read-ahead below runs on another thread: it captures these, not `self`.
        let journal = journal
        let batchSize = batchSize
        var committed: Int64?
        var unremoved = 0
        func removeCommitted() throws {
            guard let committed, unremoved > 0 else { return }
            try journal.removeEntries(through: committed)
            unremoved = 0
        }
        // The next batch is read from the journal while the store writes this one.
        let readAhead = BackgroundWork<[JournalEntry]>(label: "jarvis.drain.read")
        defer { _ = try? readAhead.finish() }
        while !shouldStop() {
            let batch = try readAhead.finish() ?? journal.pendingEntries(after: committed, limit: batchSize)
            guard let last = batch.last else {
                try removeCommitted()
                if waitForRows() { continue }
                break
            }
            readAhead.start { try journal.pendingEntries(after: last.seq, limit: batchSize) }
            do {
                report.inserted += try store.apply(batch)
            } catch {
                report.failure = store.failure(for: error)
                break
            }
            committed = last.seq
            unremoved += batch.count
            if unremoved >= removalRows { try removeCommitted() }
            report.drained += batch.count
            report.batches += 1
            progress(report.drained, start.rows)
        }
        try removeCommitted()
        report.remaining = try journal.depth().rows
        report.stopped = shouldStop() && report.remaining > 0 && report.failure == nil
        // Rows recorded while it ran count as waiting too.
        recordActivity(report, depthBefore: max(start.rows, report.drained + report.remaining))
        return report
    }

    /// Notes the flush for the weekly report's journal figures. Advisory: a failure to
    /// write it does not fail the drain.
    private func recordActivity(_ report: DrainReport, depthBefore: Int) {
        try? journal.recordJournalActivity(
            at: now(), drained: report.drained, depthBefore: depthBefore, depthAfter: report.remaining, degraded: report.failure != nil)
    }
}

/// What a drain did.
public struct DrainReport: Sendable {
    /// Journal rows written to the store and removed from the journal.
    public var drained = 0
    /// Of those, rows the store did not have yet (the rest were replays).
    public var inserted = 0
    public var batches = 0
    /// Rows still in the journal afterwards.
    public var remaining = 0
    /// Why the drain stopped early, if it did.
    public var failure: StoreFailure?
    /// True when SIGTERM stopped it between batches.
    public var stopped = false

    public init() {}

    /// One line for logs and the terminal.
    public var summary: String {
        var text =
            "drained \(drained) row\(drained == 1 ? "" : "s") (\(inserted) new, \(drained - inserted) already present) in \(batches) batch\(batches == 1 ? "" : "es"); \(remaining) left in the journal"
        if let failure { text += "; stopped: \(failure.description)" }
        if stopped { text += "; stopped by signal" }
        return text
    }
}
