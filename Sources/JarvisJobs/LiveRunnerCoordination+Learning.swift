import JarvisCore
import JarvisPostgres

/// Learning shared by every runner, over the run's one PostgreSQL connection.
extension LiveRunnerCoordination: SharedLearning {
    public func teachNext(runner: String, now: Timestamp) throws -> LearnStep? { try call { try $0.teachNextOutcome(runner: runner, now: now) } }

    public func hasUntaughtOutcomes() throws -> Bool { try call { try $0.hasUntaughtOutcomes() } }

    public func patterns(changedSince cursor: String?) throws -> (patterns: [LearnedPattern], cursor: String) {
        try call { try $0.patterns(changedSince: cursor) }
    }
}
