import Foundation
import JarvisCore

/// `HostNotifier` that keeps every transition it is told about, for tests.
public final class RecordingHostNotifier: HostNotifier, @unchecked Sendable {
    private let lock = NSLock()
    private var recorded: [HostTransition] = []

    /// Creates an empty recorder.
    public init() {}

    /// Keeps the transition.
    ///
    /// - Parameter transition: The transition.
    public func hostTransition(_ transition: HostTransition) {
        lock.withLock { recorded.append(transition) }
    }

    /// Every transition so far, in order.
    public var transitions: [HostTransition] { lock.withLock { recorded } }
}
