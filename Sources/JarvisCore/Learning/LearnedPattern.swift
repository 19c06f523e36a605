/// A remediation pattern as data (`remediation_patterns`): a symptom, the catalog actions that
/// fixed it (parameters may hold `{{labels.NAME}}` bindings), and its verified evidence.
///
/// Shipped seeds (`source == .seed`) match every alert of their alertname that carries the
/// labels they need; learned patterns match alerts whose symptom is similar enough
/// (`SymptomSimilarity.gate`). Either way the bound actions are untrusted proposals: the
/// command policy checks them before anything runs.
public struct LearnedPattern: Sendable, Equatable {
    public enum Source: String, Sendable, Codable, CaseIterable {
        /// Shipped with jarvis, with a low evidence count.
        case seed
        /// Extracted from a verified LLM-path success.
        case learned
    }

    /// The row id (0 before it is stored).
    public var id: Int64
    /// `seed/<alertname>` or `pattern/<sha256 of fingerprint and command set>`.
    public var key: String
    public var symptom: SymptomFingerprint
    public var actions: [ActionProposal]
    /// Labels the alert must carry beyond those the bindings use.
    public var requiredLabels: [String]
    public var summary: String
    public var risk: String
    public var successes: Int
    public var failures: Int
    public var enabled: Bool
    public var source: Source
    public var lastUsedAt: Timestamp?
    public var createdAt: Timestamp

    public init(
        id: Int64 = 0, key: String? = nil, symptom: SymptomFingerprint, actions: [ActionProposal], requiredLabels: [String] = [],
        summary: String = "", risk: String = "low", successes: Int = 0, failures: Int = 0, enabled: Bool = true,
        source: Source = .learned, lastUsedAt: Timestamp? = nil, createdAt: Timestamp
    ) {
        self.id = id
        self.symptom = symptom
        self.actions = actions
        self.requiredLabels = requiredLabels
        self.summary = summary
        self.risk = risk
        self.successes = successes
        self.failures = failures
        self.enabled = enabled
        self.source = source
        self.lastUsedAt = lastUsedAt
        self.createdAt = createdAt
        self.key = key ?? LearnedPattern.key(symptom: symptom, actions: actions)
    }

    /// A shipped seed as a pattern row (rationales are not stored).
    public init(seed: SeedPattern, id: Int64 = 0, createdAt: Timestamp) {
        self.init(
            id: id, key: "seed/" + seed.alertname, symptom: SymptomFingerprint(alertname: seed.alertname, parts: ["alertname=" + seed.alertname]),
            actions: seed.actions.map { ActionProposal(action: $0.action, parameters: $0.parameters, host: $0.host) },
            requiredLabels: seed.labelsUsed, summary: seed.summary, successes: seed.successes,
            failures: seed.failures, source: .seed, createdAt: createdAt)
    }

    /// The identity of a learned pattern: its symptom and its command set. Changed commands
    /// are a different pattern, whose statistics start again.
    public static func key(symptom: SymptomFingerprint, actions: [ActionProposal]) -> String {
        "pattern/" + SHA256.hex(symptom.sha256 + "\n" + PatternCommands.key(actions))
    }

    public var alertname: String { symptom.alertname }
    /// The command set's key (`PatternCommands.key`).
    public var commandSet: String { PatternCommands.key(actions) }

    /// The decayed confidence at `now`.
    public func confidence(now: Timestamp) -> Double {
        PatternConfidence.calculate(successes: successes, failures: failures, lastUsedAt: lastUsedAt, now: now)
    }

    /// The tier at `now`.
    public func tier(now: Timestamp) -> FixTier { FixTier(confidence: confidence(now: now), verifiedSuccesses: successes) }

    /// `successes/(successes+failures) verified`, e.g. `12/12 verified`.
    public var evidence: String { "\(successes)/\(successes + failures) verified" }

    /// The actions with the alert's labels filled in, or why the pattern does not apply.
    public func bind(to alert: Alert) -> SeedPatternBinding {
        SeedPattern(alertname: alertname, summary: summary, actions: actions, requiredLabels: requiredLabels).bind(to: alert)
    }
}

/// A canonical text for a set of actions, so that "the same commands" can be compared across
/// patterns, plans and failed attempts.
public enum PatternCommands {
    /// `action(k=v,…)@host` per action, in order, joined by `;` and hashed (hex SHA-256).
    public static func key(_ actions: [ActionProposal]) -> String { SHA256.hex(text(actions)) }

    /// The readable canonical text the key hashes.
    public static func text(_ actions: [ActionProposal]) -> String {
        actions.map { action in
            let parameters = action.parameters.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
            return action.action + "(" + parameters + ")" + (action.host.map { "@" + $0 } ?? "")
        }.joined(separator: ";")
    }
}
