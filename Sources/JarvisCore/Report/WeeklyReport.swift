/// The figures of one period, read from the store of record by `WeeklyReport.build`, and
/// rendered as text, JSON, a Discord embed and an HTML page.
public struct WeeklyReport: Sendable, Equatable {
    /// Where the figures came from.
    public enum Source: Sendable, Equatable {
        /// PostgreSQL, the store of record (every runner's rows).
        case postgres
        /// Embedded mode: SQLite is the store of record.
        case embedded
        /// PostgreSQL is configured but could not be read: this runner's local rows only.
        case localFallback(reason: String)

        /// One sentence for the report.
        public var note: String {
            switch self {
            case .postgres: "figures from PostgreSQL, the store of record"
            case .embedded: "figures from the embedded SQLite store"
            case .localFallback(let reason): "PostgreSQL unavailable (\(reason)): figures from this runner's local journal only"
            }
        }

        /// `postgres`, `embedded` or `local-fallback`.
        public var name: String {
            switch self {
            case .postgres: "postgres"
            case .embedded: "embedded"
            case .localFallback: "local-fallback"
            }
        }
    }

    /// Remediation attempts and LLM use, for a day or the whole period.
    public struct Outcomes: Sendable, Equatable {
        public var attempts = 0, successes = 0, failures = 0, escalations = 0, rejections = 0
        public var tier1 = 0, tier2 = 0, tier3 = 0, tier1Successes = 0
        public var llmCalls = 0, llmErrors = 0, tokensIn = 0, tokensOut = 0
        public var costUSD = 0.0

        public init() {}

        /// Attempts that neither succeeded, failed nor escalated (dry runs, pending, rejected).
        public var other: Int { max(0, attempts - successes - failures - escalations) }
        /// Successes over successes and failures; nil when neither happened.
        public var successRate: Double? { successes + failures > 0 ? Double(successes) / Double(successes + failures) : nil }
        /// The period's average cost of one LLM call; nil without calls.
        public var averageCallUSD: Double? { llmCalls > 0 ? costUSD / Double(llmCalls) : nil }
        /// What tier-1 fixes saved: each replaced one LLM call, priced like the period's average call.
        public var savedUSD: Double { Double(tier1) * (averageCallUSD ?? 0) }

        static func + (a: Outcomes, b: Outcomes) -> Outcomes {
            var sum = Outcomes()
            sum.attempts = a.attempts + b.attempts
            sum.successes = a.successes + b.successes
            sum.failures = a.failures + b.failures
            sum.escalations = a.escalations + b.escalations
            sum.rejections = a.rejections + b.rejections
            sum.tier1 = a.tier1 + b.tier1
            sum.tier2 = a.tier2 + b.tier2
            sum.tier3 = a.tier3 + b.tier3
            sum.tier1Successes = a.tier1Successes + b.tier1Successes
            sum.llmCalls = a.llmCalls + b.llmCalls
            sum.llmErrors = a.llmErrors + b.llmErrors
            sum.tokensIn = a.tokensIn + b.tokensIn
            sum.tokensOut = a.tokensOut + b.tokensOut
            sum.costUSD = a.costUSD + b.costUSD
            return sum
        }
    }

    /// One day of the daily chart.
    public struct Day: Sendable, Equatable {
        public var date: String
        public var outcomes: Outcomes
    }

    /// An alert key or host with how often and how long it fired.
    public struct Ranked: Sendable, Equatable {
        public var name: String
        public var occurrences: Int
        public var firingSeconds: Double

        public init(name: String, occurrences: Int, firingSeconds: Double) {
            self.name = name
            self.occurrences = occurrences
            self.firingSeconds = firingSeconds
        }
    }

    /// The same commands failing repeatedly for one alert key.
    public struct FailureSignature: Sendable, Equatable {
        public var alertKey: String
        /// The commands, one line each (`systemctl restart x; docker image prune -f`).
        public var commands: String
        public var failures: Int

        public init(alertKey: String, commands: String, failures: Int) {
            self.alertKey = alertKey
            self.commands = commands
            self.failures = failures
        }
    }

    /// An alert key that fired on many days.
    public struct Chronic: Sendable, Equatable {
        public var alertKey: String
        public var days: Int

        public init(alertKey: String, days: Int) {
            self.alertKey = alertKey
            self.days = days
        }
    }

    /// One time a host was down.
    public struct Downtime: Sendable, Equatable {
        public var host: String
        public var started: Timestamp
        /// nil while it is still down.
        public var ended: Timestamp?
        /// The part inside the period.
        public var seconds: Double

        public init(host: String, started: Timestamp, ended: Timestamp?, seconds: Double) {
            self.host = host
            self.started = started
            self.ended = ended
            self.seconds = seconds
        }
    }

    /// A maintenance window that overlapped the period.
    public struct Window: Sendable, Equatable {
        /// Its key in the store (`<runner>/maintenance/<id>`).
        public var key: String
        /// nil: all hosts.
        public var host: String?
        public var reason: String
        public var started: Timestamp
        public var ended: Timestamp?
        /// The alerts it held back: its counter on the runner that opened it (in embedded mode:
        /// on this runner), plus, from PostgreSQL, the alert events other runners held back
        /// under it.
        public var suppressed: Int
        /// The alert keys whose events it held back, with how many, most first (the top
        /// `WeeklyReport.topLimit`).
        public var suppressedAlerts: [Suppressed]

        public init(
            key: String = "", host: String?, reason: String, started: Timestamp, ended: Timestamp?, suppressed: Int,
            suppressedAlerts: [Suppressed] = []
        ) {
            self.key = key
            self.host = host
            self.reason = reason
            self.started = started
            self.ended = ended
            self.suppressed = suppressed
            self.suppressedAlerts = suppressedAlerts
        }
    }

    /// An alert key a maintenance window held back, and how many of its events.
    public struct Suppressed: Sendable, Equatable {
        public var alertKey: String
        public var events: Int

        public init(alertKey: String, events: Int) {
            self.alertKey = alertKey
            self.events = events
        }
    }

    /// The local journal's traffic (nil in embedded mode: there is no journal to drain).
    public struct Journal: Sendable, Equatable {
        public var queued = 0, drained = 0, deepest = 0, flushes = 0
        public var longestDegradedSeconds = 0.0

        public init(queued: Int = 0, drained: Int = 0, deepest: Int = 0, flushes: Int = 0, longestDegradedSeconds: Double = 0) {
            self.queued = queued
            self.drained = drained
            self.deepest = deepest
            self.flushes = flushes
            self.longestDegradedSeconds = longestDegradedSeconds
        }
    }

    public var period: ReportPeriod
    public var generatedAt: Timestamp
    public var source: Source
    public var totals = Outcomes()
    public var days: [Day] = []
    public var decisions: [(decision: String, events: Int)] = []
    /// Occurrences resolved in the period, and the mean and p90 of their time to resolve.
    public var resolved = 0
    public var meanResolveSeconds: Double?
    public var p90ResolveSeconds: Double?
    /// The same over those of them a remediation ran commands for before they resolved.
    public var remediatedResolved = 0
    public var remediatedMeanResolveSeconds: Double?
    public var remediatedP90ResolveSeconds: Double?
    public var topAlerts: [Ranked] = []
    public var topHosts: [Ranked] = []
    /// Learning events by kind: learned, promoted, demoted, disabled, enabled.
    public var patternEvents: [String: Int] = [:]
    public var failureSignatures: [FailureSignature] = []
    public var chronic: [Chronic] = []
    public var downtime: [Downtime] = []
    public var windows: [Window] = []
    public var journal: Journal?

    public init(period: ReportPeriod, generatedAt: Timestamp, source: Source) {
        self.period = period
        self.generatedAt = generatedAt
        self.source = source
    }

    /// Total downtime per host inside the period, longest first.
    public var downtimeByHost: [(host: String, seconds: Double, episodes: Int)] {
        var totals: [String: (Double, Int)] = [:]
        for episode in downtime {
            totals[episode.host, default: (0, 0)].0 += episode.seconds
            totals[episode.host, default: (0, 0)].1 += 1
        }
        return totals.map { (host: $0.key, seconds: $0.value.0, episodes: $0.value.1) }.sorted { ($1.seconds, $0.host) < ($0.seconds, $1.host) }
    }

    /// Alert events in the period, all decisions.
    public var alertEvents: Int { decisions.reduce(0) { $0 + $1.events } }

    /// The top `limit` by occurrences.
    public static func byOccurrences(_ ranked: [Ranked], limit: Int = 10) -> [Ranked] {
        Array(ranked.sorted { ($1.occurrences, $0.name) < ($0.occurrences, $1.name) }.prefix(limit))
    }

    /// The top `limit` by time firing.
    public static func byFiringTime(_ ranked: [Ranked], limit: Int = 10) -> [Ranked] {
        Array(ranked.sorted { ($1.firingSeconds, $0.name) < ($0.firingSeconds, $1.name) }.prefix(limit))
    }

    public static func == (a: WeeklyReport, b: WeeklyReport) -> Bool {
        a.period == b.period && a.generatedAt == b.generatedAt && a.source == b.source && a.totals == b.totals && a.days == b.days
            && a.decisions.map(\.decision) == b.decisions.map(\.decision) && a.decisions.map(\.events) == b.decisions.map(\.events)
            && a.resolved == b.resolved && a.meanResolveSeconds == b.meanResolveSeconds && a.p90ResolveSeconds == b.p90ResolveSeconds
            && a.remediatedResolved == b.remediatedResolved && a.remediatedMeanResolveSeconds == b.remediatedMeanResolveSeconds
            && a.remediatedP90ResolveSeconds == b.remediatedP90ResolveSeconds
            && a.topAlerts == b.topAlerts && a.topHosts == b.topHosts && a.patternEvents == b.patternEvents
            && a.failureSignatures == b.failureSignatures && a.chronic == b.chronic && a.downtime == b.downtime && a.windows == b.windows
            && a.journal == b.journal
    }
}
