import Foundation
import JarvisCore

/// Locks between "processes" in memory, for tests of the jobs: a path is held until its lock
/// is released; a second `acquire` of a held path answers nil at once (no waiting).
public final class InMemoryLocks: ProcessLocks, @unchecked Sendable {
    private let lock = NSLock()
    private var held: [String: Int32] = [:]
    /// The pid written for the next holder.
    public var pid: Int32 = 4242

    public init() {}

    public func acquire(_ path: String, timeout: Double) throws -> (any HeldLock)? {
        lock.withLock {
            guard held[path] == nil else { return nil }
            held[path] = pid
            return Held { [weak self] in self?.lock.withLock { _ = self?.held.removeValue(forKey: path) } }
        }
    }

    public func holder(_ path: String) -> Int32? { lock.withLock { held[path] } }

    private final class Held: HeldLock {
        private var onRelease: (() -> Void)?
        init(_ onRelease: @escaping () -> Void) { self.onRelease = onRelease }
        func release() {
            onRelease?()
            onRelease = nil
        }
        deinit { release() }
    }
}
