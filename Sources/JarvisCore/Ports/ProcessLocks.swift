/// Locks held by one process at a time across processes on this machine (one ingest at a
/// time, one action per host, one flush). Live: `FileLocks` (flock on files in the state
/// folder). In tests: `InMemoryLocks`.
public protocol ProcessLocks: Sendable {
    /// Takes the lock at `path`, waiting at most `timeout` seconds.
    /// - Returns: the held lock, or nil when another holder kept it past the timeout.
    func acquire(_ path: String, timeout: Double) throws -> (any HeldLock)?

    /// The process id recorded by the current holder, if any.
    func holder(_ path: String) -> Int32?
}

/// A lock taken with `ProcessLocks.acquire`.
public protocol HeldLock: AnyObject {
    /// Releases the lock (also done when the process ends).
    func release()
}
