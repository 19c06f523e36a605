/// What one `learn` pass did.
public struct LearnReport: Sendable, Equatable {
    /// Settled outcomes read (verified and failed).
    public var outcomes = 0
    /// Outcomes that changed a pattern's counts.
    public var counted = 0
    /// Outcomes of an occurrence already counted for their pattern.
    public var repeats = 0
    /// The changes recorded (learned, promoted, demoted).
    public var events: [PatternEvent] = []
    /// True when a stop request ended the pass before the cursor reached the end.
    public var stoppedEarly = false

    public init() {}

    public func count(_ kind: PatternEvent.Kind) -> Int { events.filter { $0.kind == kind }.count }
}
