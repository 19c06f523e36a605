extension HostStateMachine {
    /// Feeds one event to the machine.
    ///
    /// - Parameters:
    ///   - event: What happened.
    ///   - at: When it happened (when the probe or attempt ended).
    /// - Returns: The transition it caused, if any (see `probeAnswered(at:)`,
    ///   `probeFailed(at:error:)` and `record(_:at:)`).
    public mutating func apply(_ event: HostEvent, at: Timestamp) -> HostTransition? {
        switch event {
        case .probeAnswered: return probeAnswered(at: at)
        case .probeFailed(let error): return probeFailed(at: at, error: error)
        case .attempt(let outcome): return record(outcome, at: at)
        }
    }
}
