import Foundation
import JarvisCore

/// The spool folders in memory, for fast tests of ingest: files wait in `incoming`, are
/// claimed into `processing`, and leave by `complete` (deleted) or `reject` (to `rejected`
/// with the reason). Names are taken in their sort order, as `SpoolDirectory` does.
public final class InMemorySpool: SpoolFolders, @unchecked Sendable {
    private let lock = NSLock()
    private var incoming: [String: [UInt8]] = [:]
    private var processing: [String: [UInt8]] = [:]
    private var rejectedFiles: [String: (bytes: [UInt8], reason: String)] = [:]
    private var failing: Set<String> = []
    private var counter = 0
    /// Files larger than this are rejected when read.
    public var maxFileSize = 1 << 20

    public init() {}

    /// Drops a body into `incoming` under a name that sorts after every earlier one.
    /// - Returns: its name.
    @discardableResult
    public func enqueue(_ bytes: some Collection<UInt8>) -> String {
        lock.withLock {
            counter += 1
            let name = String(format: "%08d.json", counter)
            incoming[name] = Array(bytes)
            return name
        }
    }

    /// Drops a file into `incoming` under `name` (a stray name, say).
    public func put(_ name: String, _ bytes: some Collection<UInt8>) { lock.withLock { incoming[name] = Array(bytes) } }

    /// Makes the next `complete` of `name` fail, as a crash between the commit and the delete would.
    public func failComplete(_ name: String) { lock.withLock { _ = failing.insert(name) } }

    /// The names in each folder, sorted.
    public var folders: (incoming: [String], processing: [String], rejected: [String]) {
        lock.withLock { (incoming.keys.sorted(), processing.keys.sorted(), rejectedFiles.keys.sorted()) }
    }

    /// Why a file was rejected.
    public func reason(_ name: String) -> String? { lock.withLock { rejectedFiles[name]?.reason } }

    public func pending() throws -> [String] { lock.withLock { incoming.keys.filter(SpoolNames.isCandidate).sorted() } }

    public func leftovers() throws -> [String] { lock.withLock { processing.keys.sorted() } }

    public func rejectStrays() throws -> [(name: String, reason: String)] {
        lock.withLock {
            incoming.keys.filter { !SpoolNames.isCandidate($0) }.sorted().map { name in
                let reason = "not a spool file name (hidden or unfinished)"
                rejectedFiles[name] = (incoming.removeValue(forKey: name) ?? [], reason)
                return (name, reason)
            }
        }
    }

    public func claim(_ name: String) throws -> Bool {
        lock.withLock {
            guard let bytes = incoming.removeValue(forKey: name) else { return false }
            processing[name] = bytes
            return true
        }
    }

    public func unclaim(_ name: String) throws {
        lock.withLock {
            if let bytes = processing.removeValue(forKey: name) { incoming[name] = bytes }
        }
    }

    public func read(_ name: String) throws -> SpoolRead {
        try lock.withLock {
            guard let bytes = processing[name] else { throw InMemorySpoolFailure(description: "\(name) is not in processing/") }
            if bytes.isEmpty { return .rejected("empty file") }
            if bytes.count > maxFileSize { return .rejected("larger than \(maxFileSize) bytes") }
            return .contents(bytes)
        }
    }

    public func complete(_ name: String) throws {
        try lock.withLock {
            if failing.remove(name) != nil { throw InMemorySpoolFailure(description: "deleting \(name) failed (injected)") }
            processing[name] = nil
        }
    }

    @discardableResult
    public func reject(_ name: String, reason: String) throws -> String {
        lock.withLock {
            rejectedFiles[name] = (processing.removeValue(forKey: name) ?? [], reason)
            return name
        }
    }

    public func sha256Hex(_ bytes: [UInt8]) -> String { SHA256.hex(bytes) }
}

/// A failure of the in-memory spool (injected, or a file that is not there).
public struct InMemorySpoolFailure: Error, CustomStringConvertible {
    public var description: String
}

/// Process locks in memory: a lock is free or held, with no waiting (one process).
public final class InMemoryLocks: ProcessLocks, @unchecked Sendable {
    private let lock = NSLock()
    private var held: Set<String> = []

    public init() {}

    /// The paths held now.
    public var heldPaths: Set<String> { lock.withLock { held } }

    public func acquire(_ path: String, timeout: Double) throws -> (any HeldLock)? {
        lock.withLock {
            guard held.insert(path).inserted else { return nil }
            return Held(path: path, locks: self)
        }
    }

    public func holder(_ path: String) -> Int32? { lock.withLock { held.contains(path) ? getpid() : nil } }

    fileprivate func release(_ path: String) { _ = lock.withLock { held.remove(path) } }

    private final class Held: HeldLock {
        let path: String
        let locks: InMemoryLocks
        var released = false

        init(path: String, locks: InMemoryLocks) {
            self.path = path
            self.locks = locks
        }

        func release() {
            guard !released else { return }
            released = true
            locks.release(path)
        }

        deinit { release() }
    }
}

/// The store of record in memory: rows by table and idempotency key, written in `seq` order,
/// a replay never duplicating one. Set `unreachable` to make it fail as an unreachable
/// PostgreSQL does (nothing written), and `failAfter` to make it fail after that many applies.
public final class InMemoryStoreOfRecord: StoreOfRecord, @unchecked Sendable {
    private let lock = NSLock()
    private var keys: Set<String> = []
    private var applied: [(table: String, key: String)] = []
    /// Rows applied, in order: (table, idempotency key). Safe to read while a flush thread
    /// applies more.
    public var rows: [(table: String, key: String)] { lock.withLock { applied } }
    public var unreachable = false
    public var failAfter: Int?
    /// How many `apply` calls committed.
    public private(set) var applies = 0

    public init() {}

    public func apply(_ entries: [JournalEntry]) throws -> Int {
        try lock.withLock {
            if unreachable || failAfter.map({ applies >= $0 }) == true {
                throw StoreFailure(unreachable: true, description: "unreachable: in-memory store of record")
            }
            applies += 1
            var new = 0
            for entry in entries.sorted(by: { $0.seq < $1.seq }) where keys.insert(entry.table + "\u{0}" + entry.idempotencyKey).inserted {
                applied.append((entry.table, entry.idempotencyKey))
                new += 1
            }
            return new
        }
    }

    public func migrate() throws -> [String] { [] }
}
