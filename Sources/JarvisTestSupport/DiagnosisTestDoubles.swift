import Foundation
import JarvisCore

/// A clock for bounded loops: `now()` returns the current instant and then moves it on by
/// `step` seconds; `advance(by:)` moves it on by hand.
public final class AdvancingTestClock: @unchecked Sendable {
    private let lock = NSLock()
    private var current: Timestamp
    /// Seconds added after every reading.
    public let step: Double

    public init(start: Timestamp = Timestamp(seconds: 1_764_000_000), step: Double = 0) {
        current = start
        self.step = step
    }

    /// The current instant; then the clock moves on by `step`.
    public func now() -> Timestamp {
        lock.lock()
        defer { lock.unlock() }
        let value = current
        current = current.adding(seconds: step)
        return value
    }

    /// Moves the clock on by `seconds`.
    public func advance(by seconds: Double) {
        lock.lock()
        current = current.adding(seconds: seconds)
        lock.unlock()
    }

    /// The current instant, without moving the clock.
    public var peek: Timestamp {
        lock.lock()
        defer { lock.unlock() }
        return current
    }
}

/// A `Sleeper` that records each wait and, instead of sleeping, moves an `AdvancingTestClock` on.
public final class RecordingClockSleeper: Sleeper, @unchecked Sendable {
    private let lock = NSLock()
    private var recorded: [Double] = []
    private let clock: AdvancingTestClock?

    public init(clock: AdvancingTestClock? = nil) { self.clock = clock }

    public func sleep(seconds: Double) {
        lock.lock()
        recorded.append(seconds)
        lock.unlock()
        clock?.advance(by: seconds)
    }

    /// The waits so far, in seconds.
    public var waits: [Double] {
        lock.lock()
        defer { lock.unlock() }
        return recorded
    }
}

/// A `DiagnosticRunner` that records each call and answers with a canned output per tool.
public final class RecordingDiagnosticRunner: DiagnosticRunner, @unchecked Sendable {
    /// One call the agent made.
    public struct Call: Sendable, Equatable {
        public var tool: String
        public var parameters: [String: String]
        public var timeout: Double
    }

    private let lock = NSLock()
    private var recorded: [Call] = []
    private let outputs: [String: DiagnosticResult]
    private let clock: AdvancingTestClock?
    private let secondsPerRun: Double

    /// - Parameters:
    ///   - outputs: Result per tool name; other tools answer `ok`.
    ///   - clock: Moved on by `secondsPerRun` per call, when given.
    ///   - secondsPerRun: How long each diagnostic "takes" on `clock`.
    public init(outputs: [String: DiagnosticResult] = [:], clock: AdvancingTestClock? = nil, secondsPerRun: Double = 0) {
        self.outputs = outputs
        self.clock = clock
        self.secondsPerRun = secondsPerRun
    }

    public func run(tool: String, parameters: [String: String], timeout: Double) -> DiagnosticResult {
        lock.lock()
        recorded.append(Call(tool: tool, parameters: parameters, timeout: timeout))
        lock.unlock()
        clock?.advance(by: secondsPerRun)
        return outputs[tool] ?? DiagnosticResult(text: "ok")
    }

    /// The calls so far.
    public var calls: [Call] {
        lock.lock()
        defer { lock.unlock() }
        return recorded
    }
}
