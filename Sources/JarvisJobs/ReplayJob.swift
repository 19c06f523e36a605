import JarvisCore

/// `jarvis replay`: triage and pattern choice run again over recorded notifications with the
/// current configuration and patterns, against a scratch triage state; nothing is executed
/// and nothing is written.
public struct ReplayJob {
    public var configuration: JarvisConfiguration
    public var patterns: [LearnedPattern]
    /// Maintenance windows as recorded (history mode), or none.
    public var windows: [MaintenanceWindow] = []

    public init(configuration: JarvisConfiguration, patterns: [LearnedPattern]) {
        self.configuration = configuration
        self.patterns = patterns
    }

    public struct Report: Sendable {
        public var notifications = 0
        public var actionable = 0
        /// Actionable alerts per tier the replay chose.
        public var tiers: [Int: Int] = [:]
        /// Triage decisions that differ from the recorded ones: key, recorded, now.
        public var changedDecisions: [(key: String, was: String, now: String)] = []
        /// Remediations whose tier differs from the recorded attempt: key, recorded tier, tier now.
        public var changedTiers: [(key: String, was: Int, now: Int)] = []
        /// LLM diagnoses that a tier-1 pattern would have made unnecessary.
        public var llmCallsAvoided = 0
        /// Tokens those recorded diagnoses spent.
        public var tokensSaved = 0
        /// Tier-1 patterns that would have fired, with how often.
        public var patternsFired: [Int64: Int] = [:]
    }

    /// Replays `notifications` in order: each is triaged at its arrival time; patterns are
    /// judged as they stand at `now` (their confidence decays with age).
    public func run(_ notifications: [RecordedNotification], now: Timestamp) -> Report {
        var report = Report()
        let inventory = configuration.inventory
        var parents: [String: [String]] = [:]
        for host in inventory.hosts where !host.parents.isEmpty { parents[host.name] = host.parents }
        var pipeline = TriagePipeline(
            configuration: configuration.triage, graph: CascadeGraph(configuration: configuration.cascade, hostParents: parents))
        let index = PatternIndex(patterns)
        let policy = RemediationCatalog(configuration: configuration).policy
        let settings = configuration.remediation
        for recorded in notifications {
            report.notifications += 1
            let alert = recorded.event.alert
            let time = recorded.event.receivedAt
            let routing = inventory.route(labels: alert.labels)
            let outcome = pipeline.triage(alert, host: routing, windows: windows, now: time)
            let key = alert.occurrence.idempotencyKey(status: alert.status)
            if let was = recorded.decision, was != outcome.decision.kind {
                report.changedDecisions.append((key, was, outcome.decision.kind))
            }
            guard outcome.decision == .actionable, case .host(let name) = routing, let host = inventory.host(named: name) else { continue }
            report.actionable += 1
            _ = pipeline.recordAttempt(alertKey: alert.alertKey, at: time)
            let context = PolicyContext(
                protectedContainers: settings.protectedContainers, protectedUnits: settings.protectedUnits,
                targetIsJarvisHost: host.local || host.name == settings.jarvisHost)
            let choice = PatternChoice.choose(index.matches(for: alert, now: now), for: alert, exhausted: []) {
                policy.evaluate($0, host: host, context: context).rejection == nil
            }
            let tier = choice.chosen?.match.tier ?? .tier3
            report.tiers[tier.rawValue, default: 0] += 1
            if tier == .tier1, let chosen = choice.chosen {
                report.patternsFired[chosen.match.pattern.id, default: 0] += 1
                if recorded.tier.map({ $0 != 1 }) ?? true {
                    report.llmCallsAvoided += 1
                    report.tokensSaved += recorded.tokens
                }
            }
            if let was = recorded.tier, was != tier.rawValue { report.changedTiers.append((key, was, tier.rawValue)) }
        }
        return report
    }
}
