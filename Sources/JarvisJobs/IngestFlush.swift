import Foundation
import JarvisCore

/// Ingest's flush to PostgreSQL, overlapped with the ingest itself: a `DrainJob` on a thread
/// of its own forwards each group commit while the next groups are decoded, triaged and
/// committed, then, once ingest is done, what triage and remediation added at the end.
/// jarvis decodes on one core while the PostgreSQL server copies on the other, instead of
/// one after the other.
///
/// The drain's guarantees are unchanged: a batch leaves the journal only after PostgreSQL
/// committed it, in `seq` order; when PostgreSQL fails the drain stops and the rest waits in
/// the journal for the next flush or `jarvis drain`, and ingest goes on recording.
final class IngestFlush: @unchecked Sendable {
    private let condition = NSCondition()
    /// A group commit was announced that the drain has not looked at yet; guarded by
    /// `condition`.
    private var pending = false
    /// Set once no more rows will be recorded; guarded by `condition`.
    private var closed = false
    /// Set when the run failed: the drain stops after its current batch.
    private var cancelled = false
    private let work = BackgroundWork<DrainReport>(label: "jarvis.ingest.flush")
    private let lock: any HeldLock
    private let journal: any JournalQueue
    /// Set by the first `finish`; only touched by the ingest's thread.
    private var finished = false

    /// Starts draining `journal` on a second thread. - Returns: nil when another flush or a
    /// `jarvis drain` holds the flush lock (that one moves the rows).
    init?(
        journal: any JournalQueue, batchSize: Int, connect: @escaping () throws -> any StoreOfRecord, shouldStop: @escaping () -> Bool,
        locks: any ProcessLocks, lockPath: String
    ) throws {
        guard let lock = try locks.acquire(lockPath, timeout: 0) else { return nil }
        self.lock = lock
        self.journal = journal
        var drain = DrainJob(journal: journal, batchSize: batchSize, connect: connect)
        drain.shouldStop = { shouldStop() || self.condition.withLock { self.cancelled } }
        drain.waitForRows = { self.waitForRows() }
        // The drain runs on the flush thread only; the closures it calls from there are the
        // signal check (thread-safe) and this object's, guarded by `condition`.
        nonisolated(unsafe) let running = drain
        work.start { try running.run() }
    }

    /// Says a group commit returned: its rows are in the journal to forward.
    func recorded() {
        condition.withLock {
            pending = true
            condition.signal()
        }
    }

    /// Says nothing more will be recorded, waits for the drain to forward what is left (or to
    /// stop at a failure), and releases the flush lock.
    /// - Throws: `JournalError` when the local journal failed under the drain.
    func finish() throws -> DrainReport {
        guard !finished else { return DrainReport() }
        finished = true
        recorded()
        condition.withLock {
            closed = true
            condition.signal()
        }
        defer { lock.release() }
        var report = try work.finish() ?? DrainReport()
        // A drain stopped by a failure left ingest recording more after it.
        if report.failure != nil || report.stopped { report.remaining = try journal.depth().rows }
        return report
    }

    /// Stops the drain after its current batch (the run failed) and waits for it; what it has
    /// not forwarded waits in the journal. Does nothing after `finish`.
    func cancel() {
        condition.withLock { cancelled = true }
        _ = try? finish()
    }

    /// Waits until a group commit is announced that the drain has not looked at (true), or
    /// ingest is done and every announcement was looked at (false).
    private func waitForRows() -> Bool {
        condition.withLock {
            while !pending && !closed && !cancelled { condition.wait() }
            guard pending, !cancelled else { return false }
            pending = false
            return true
        }
    }
}
