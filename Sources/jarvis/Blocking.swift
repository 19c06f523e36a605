import Dispatch

/// Runs async work from a synchronous subcommand body (`RunContext.execute` is synchronous).
///
/// The main thread waits on a semaphore while the work runs on the cooperative pool; the main
/// thread is not one of the pool's threads, so this cannot starve the work. Used only at the
/// CLI boundary, once per process.
enum Blocking {
    /// Runs `body` and returns its result, or rethrows its error.
    ///
    /// - Parameter body: The async work.
    /// - Throws: What `body` throws.
    static func wait<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) throws -> T {
        let box = ResultBox<T>()
        let semaphore = DispatchSemaphore(value: 0)
        Task {
            do {
                box.result = .success(try await body())
            } catch {
                box.result = .failure(error)
            }
            semaphore.signal()
        }
        semaphore.wait()
        guard let result = box.result else { fatalError("Blocking.wait: the task ended without a result") }
        return try result.get()
    }

    /// Written once by the task before the semaphore is signalled, read once after the wait:
    /// the semaphore orders the two accesses.
    private final class ResultBox<T: Sendable>: @unchecked Sendable {
        var result: Result<T, any Error>?
    }
}
