/// Port: exclusive locks between processes on one machine, named by a lock file (e.g.
/// `JarvisConfiguration.lockPath("notify")`). Live: `flock(2)`, which the kernel drops when
/// the holder dies, so a crashed run never leaves a stale lock.
public protocol ProcessLocks: Sendable {
    /// Takes the lock at `path`, waiting up to `timeout` seconds for another holder.
    ///
    /// - Returns: The held lock, or nil when another process still holds it after `timeout`.
    /// - Throws: When the lock file cannot be opened (a one-line reason).
    func acquire(_ path: String, timeout: Double) throws -> (any HeldLock)?

    /// The process id of the current holder of `path`, when known (for messages only).
    func holder(_ path: String) -> Int32?
}

/// A lock taken through `ProcessLocks`, held until `release()`.
public protocol HeldLock: AnyObject {
    /// Gives the lock up (again is harmless).
    func release()
}
