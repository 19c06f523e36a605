import Dispatch

/// Runs blocking test work (waiting for a child process, starting a server, SQLite busy waits)
/// on a Dispatch worker thread, so the waiting test holds none of Swift's cooperative threads.
///
/// On a 2-core machine the cooperative pool has two threads; a test that blocks one for
/// seconds slows every test running beside it, and skews their timing assertions.
public enum OffPool {
    /// Runs `body` on a Dispatch worker and returns its result or rethrows its error.
    ///
    /// - Parameter body: Blocking work.
    /// - Throws: What `body` throws.
    public static func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Result { try body() })
            }
        }
    }
}
