import JarvisCore

/// The spool folders behind ingest's `SpoolFolders` port.
extension SpoolDirectory: SpoolFolders {
    public func sha256Hex(_ bytes: [UInt8]) -> String { ContentDigest.sha256Hex(bytes) }
}

/// `flock(2)` locks behind the `ProcessLocks` port.
public struct FileLocks: ProcessLocks {
    public init() {}

    public func acquire(_ path: String, timeout: Double) throws -> (any HeldLock)? {
        try FileLock.acquire(path, timeout: timeout)
    }

    public func holder(_ path: String) -> Int32? { FileLock.holder(path) }
}

extension FileLock: HeldLock {}
