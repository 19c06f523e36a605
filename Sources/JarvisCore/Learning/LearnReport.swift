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

    /// Teaches outcomes one at a time until none is left or `shouldStop` says so: the one
    /// loop of every learner (the local journal's, PostgreSQL's).
    ///
    /// - Parameters:
    ///   - step: Teaches the next outcome in its own transaction; nil when none is left.
    ///   - pending: Whether outcomes are left (asked after a stop request).
    ///   - shouldStop: Asked between outcomes.
    public static func teach(step: () throws -> LearnStep?, pending: () throws -> Bool, shouldStop: () -> Bool) throws -> LearnReport {
        var report = LearnReport()
        while true {
            if shouldStop() {
                report.stoppedEarly = try pending()
                return report
            }
            guard let taught = try step() else { return report }
            report.outcomes += 1
            switch taught {
            case .counted(let events):
                report.counted += 1
                report.events += events
            case .repeated: report.repeats += 1
            case .nothing: break
            }
        }
    }
}

/// What one settled outcome did to the patterns.
public enum LearnStep: Sendable, Equatable {
    /// It changed a pattern's counts (and maybe its tier).
    case counted([PatternEvent])
    /// Its occurrence was counted for that pattern already.
    case repeated
    /// It teaches nothing (a failure of a plan no pattern holds; its attempt is gone).
    case nothing
}
