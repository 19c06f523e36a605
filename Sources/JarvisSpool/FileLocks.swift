import JarvisCore

/// The live `ProcessLocks`: `FileLock`, an exclusive `flock(2)` on each lock file.
public struct FileLocks: ProcessLocks {
    /// Creates the locks.
    public init() {}

    public func acquire(_ path: String, timeout: Double) throws -> (any HeldLock)? {
        try FileLock.acquire(path, timeout: timeout)
    }

    public func holder(_ path: String) -> Int32? { FileLock.holder(path) }
}

extension FileLock: HeldLock {}
