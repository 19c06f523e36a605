/// Everything triage remembers between runs, as a `Codable` snapshot.
///
/// Every run is a new process: the caller loads this before a run (or starts with
/// `TriageState()`), passes it to `TriagePipeline`, and saves `pipeline.state` after the
/// run, e.g. as JSON. The parts that grow with every distinct alert (processed keys, open
/// occurrences, flap histories) can instead live in a store as rows and be held in memory
/// only for the alerts at hand (`insert(rows:…)`, `takeRows(configuration:)`, see
/// `TriageStateRow`); ingest does that. Every part is bounded: `prune(at:configuration:)`
/// drops what no longer matters, and each part also has a time limit of its own, so a lost
/// "resolved" never keeps anything forever.
public struct TriageState: Sendable, Equatable, Codable {
    /// The layout version written by this code.
    public static let currentVersion = 1

    /// The layout version of this snapshot.
    public var version: Int
    /// `fingerprint@startsAt/status` → when it was last processed (not deduplicated); kept
    /// for the dedup cooldown.
    public var processed: [String: Timestamp]
    /// `fingerprint@startsAt` → the firing occurrence, until it resolves or goes idle.
    public var openOccurrences: [String: OpenOccurrence]
    /// Active root causes, each with its TTL.
    public var rootCauses: RootCauseSet
    /// `alertname/instance` → its flap detector.
    public var flapDetectors: [String: FlapDetector]
    /// `alertname/instance` → its attempt budget (only keys that made attempts or escalated).
    public var budgets: [String: AttemptBudget]
    /// `fingerprint@startsAt` → an alert a maintenance window suppressed, to re-evaluate
    /// when the window is over.
    public var parked: [String: ParkedAlert]

    /// An empty state, as on the very first run.
    public init() {
        version = Self.currentVersion
        processed = [:]
        openOccurrences = [:]
        rootCauses = RootCauseSet()
        flapDetectors = [:]
        budgets = [:]
        parked = [:]
    }

    /// How many entries the state holds across all its parts.
    public var entryCount: Int {
        processed.count + openOccurrences.count + rootCauses.causes.count + flapDetectors.count + budgets.count + parked.count
    }

    /// Drops what no longer matters at `now`: processed keys past the dedup cooldown,
    /// expired root causes, open occurrences and parked alerts with no firing notification
    /// for `occurrenceRetention`, flap histories idle for `flapHistoryRetention` and idle
    /// budgets. Call it once per run.
    /// - Parameters:
    ///   - now: the run's time.
    ///   - configuration: cooldowns and retention limits.
    /// - Returns: how many entries were dropped.
    @discardableResult
    public mutating func prune(at now: Timestamp, configuration: TriageConfiguration) -> Int {
        let before = entryCount
        rootCauses.ttl = configuration.rootCauseTTL
        processed = processed.filter { Self.keepsProcessed(at: $0.value, now: now, configuration) }
        rootCauses.expire(at: now)
        openOccurrences = openOccurrences.filter { Self.keepsOccurrence(lastSeenAt: $0.value.lastSeenAt, now: now, configuration) }
        parked = parked.filter { Self.keepsOccurrence(lastSeenAt: $0.value.lastSeenAt, now: now, configuration) }
        flapDetectors = flapDetectors.filter { Self.keepsFlapHistory($0.value, now: now, configuration) }
        budgets = budgets.filter { !$0.value.isIdle(at: now, policy: configuration.attempts) }
        return before - entryCount
    }

    /// Whether `prune` at `now` keeps a key processed at `at` (within the dedup cooldown).
    static func keepsProcessed(at: Timestamp, now: Timestamp, _ configuration: TriageConfiguration) -> Bool {
        now.seconds(since: at) < configuration.dedupCooldown
    }

    /// Whether `prune` at `now` keeps an open occurrence or parked alert last seen then.
    static func keepsOccurrence(lastSeenAt: Timestamp, now: Timestamp, _ configuration: TriageConfiguration) -> Bool {
        now.seconds(since: lastSeenAt) < configuration.occurrenceRetention
    }

    /// Whether `prune` at `now` keeps a flap history (one with no state is dropped).
    static func keepsFlapHistory(_ detector: FlapDetector, now: Timestamp, _ configuration: TriageConfiguration) -> Bool {
        guard let last = detector.lastRecordedAt else { return false }
        return now.seconds(since: last) < configuration.flapHistoryRetention
    }

    private enum CodingKeys: String, CodingKey {
        case version, processed, openOccurrences, rootCauses, flapDetectors, budgets, parked
    }

    /// Decodes a snapshot; a missing part starts empty, so older snapshots still load.
    /// - Throws: `DecodingError` when a part is malformed.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        version = try c.decodeIfPresent(Int.self, forKey: .version) ?? Self.currentVersion
        processed = try c.decodeIfPresent([String: Timestamp].self, forKey: .processed) ?? [:]
        openOccurrences = try c.decodeIfPresent([String: OpenOccurrence].self, forKey: .openOccurrences) ?? [:]
        rootCauses = try c.decodeIfPresent(RootCauseSet.self, forKey: .rootCauses) ?? RootCauseSet()
        flapDetectors = try c.decodeIfPresent([String: FlapDetector].self, forKey: .flapDetectors) ?? [:]
        budgets = try c.decodeIfPresent([String: AttemptBudget].self, forKey: .budgets) ?? [:]
        parked = try c.decodeIfPresent([String: ParkedAlert].self, forKey: .parked) ?? [:]
    }
}
