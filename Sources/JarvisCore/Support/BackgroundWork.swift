import Dispatch

/// Runs one piece of work at a time on a second thread, so that the caller prepares the next
/// while the last one runs: ingest decodes and triages a group of files while the group
/// before is committed to SQLite (and fsynced) and its files are deleted; the weekly report
/// runs its largest figures on connections of their own.
///
/// `start` and `finish` are called from one thread (the caller's); `finish` waits for the
/// work started last and returns its result or rethrows its error.
public final class BackgroundWork<Output: Sendable>: @unchecked Sendable {
    private let queue: DispatchQueue
    private let done = DispatchSemaphore(value: 0)
    /// Written by the work before it signals `done`, read by `finish` after waiting.
    private var result: Result<Output, any Error>?
    /// Only touched by the caller's thread.
    private var running = false

    public init(label: String) {
        queue = DispatchQueue(label: label)
    }

    /// Starts `work`. Call `finish` first if work was started before: its result or error
    /// must not be lost.
    public func start(_ work: @escaping @Sendable () throws -> Output) {
        precondition(!running, "BackgroundWork.start while the work before is unfinished")
        running = true
        queue.async {
            self.result = Result { try work() }
            self.done.signal()
        }
    }

    /// Waits for the work started last and returns what it returned; nil when nothing was
    /// started since the last `finish`.
    /// - Throws: what the work threw.
    public func finish() throws -> Output? {
        guard running else { return nil }
        done.wait()
        running = false
        let finished = result
        result = nil
        return try finished?.get()
    }
}
