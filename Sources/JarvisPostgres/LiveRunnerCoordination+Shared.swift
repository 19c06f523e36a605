public import JarvisCore

/// `jarvis approve` under the claims every runner shares.
extension LiveRunnerCoordination {
    public func claimApproval(_ request: ApprovalClaimRequest) throws -> ApprovalClaim { try call { try $0.claimApproval(request) } }
}

/// Learning shared by every runner, over the run's one PostgreSQL connection.
extension LiveRunnerCoordination: SharedLearning {
    public func teachNext(runner: String, now: Timestamp) throws -> LearnStep? { try call { try $0.teachNextOutcome(runner: runner, now: now) } }

    public func hasUntaughtOutcomes() throws -> Bool { try call { try $0.hasUntaughtOutcomes() } }

    public func patterns(changedSince cursor: String?) throws -> (patterns: [LearnedPattern], cursor: String) {
        try call { try $0.patterns(changedSince: cursor) }
    }

    public func failedCommandLists(alertKey: String, otherThan runner: String) throws -> [String] {
        try call { try $0.failedCommandLists(alertKey: alertKey, otherThan: runner) }
    }

    public func patternEvents(patternID: Int64) throws -> [PatternEvent] { try call { try $0.patternEvents(patternID: patternID) } }
}

/// The suppressed alerts a runner summarises, claimed in one round trip.
extension LiveRunnerCoordination {
    public func claimNotifications(dedupKeys: [String], runner: String, expiresAfter: Double?) throws -> Set<String> {
        try call { try $0.claimNotifications(dedupKeys: dedupKeys, runner: runner, expiresAfter: expiresAfter) }
    }
}
