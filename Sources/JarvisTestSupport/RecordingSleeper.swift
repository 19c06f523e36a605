import Foundation
import JarvisCore

/// A `Sleeper` that records each wait instead of spending it, and a wall clock that moves by
/// the recorded waits (plus `advance(_:)`), so retry tests are fast and exact.
public final class RecordingSleeper: Sleeper, @unchecked Sendable {
    private let lock = NSLock()
    private var recorded: [Double] = []
    private var offset = 0.0
    /// The clock's start.
    public let start: Timestamp

    /// Creates a sleeper whose clock starts at `start`.
    /// - Parameter start: The first `now()`.
    public init(start: Timestamp = Timestamp(seconds: 1_795_921_200)) {
        self.start = start
    }

    /// Records the wait and moves the clock.
    /// - Parameter seconds: The wait asked for.
    public func sleep(seconds: Double) {
        lock.lock()
        recorded.append(seconds)
        offset += max(0, seconds)
        lock.unlock()
    }

    /// Moves the clock without recording a wait (time passing between runs).
    /// - Parameter seconds: How far.
    public func advance(_ seconds: Double) {
        lock.lock()
        offset += seconds
        lock.unlock()
    }

    /// The waits asked for, in order.
    public var waits: [Double] {
        lock.lock()
        defer { lock.unlock() }
        return recorded
    }

    /// The current time: `start` plus every wait and advance.
    public func now() -> Timestamp {
        lock.lock()
        defer { lock.unlock() }
        return start.adding(seconds: offset)
    }
}
