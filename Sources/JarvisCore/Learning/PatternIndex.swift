/// The enabled patterns, indexed for choosing a fix quickly: by alertname, then for learned
/// patterns by which fingerprint labels they have (a pattern whose required parts differ
/// from the alert's cannot reach the gate) and by interned part values, each listing the
/// patterns that have it.
public struct PatternIndex: Sendable {
    /// One pattern that matches an alert.
    public struct Match: Sendable {
        public var pattern: LearnedPattern
        /// The Jaccard similarity; 1 for a seed (seeds match by alertname and labels).
        public var similarity: Double
        public var tier: FixTier
        public var confidence: Double
    }

    private struct Bucket: Sendable {
        var seeds: [Int] = []
        var learned: [Int] = []
        /// Per learned pattern (slot): which of the fingerprint positions are present (bit i).
        var masks: [UInt16] = []
        /// Per slot: how many positions are present.
        var counts: [UInt8] = []
        /// Per interned part: the slots that have it, ascending.
        var postings: [Int32: [Int32]] = [:]
    }

    /// `alertname` then `SymptomFingerprint.labels`.
    private static let positions = ["alertname"] + SymptomFingerprint.labels
    private static let positionOf: [String: Int] = Dictionary(uniqueKeysWithValues: positions.enumerated().map { ($1, $0) })
    private static let requiredMask: UInt16 = positions.enumerated().reduce(0) {
        SymptomFingerprint.requiredLabels.contains($1.element) ? $0 | (1 << UInt16($1.offset)) : $0
    }

    public let patterns: [LearnedPattern]
    private var buckets: [String: Bucket] = [:]
    /// Per position: the id of each value the patterns have there (one id space for all).
    private var valueIDs = [[String: Int32]](repeating: [:], count: positions.count)
    private var nextValueID: Int32 = 0

    /// Indexes the enabled ones of `patterns`.
    public init(_ patterns: [LearnedPattern]) {
        self.patterns = patterns
        let width = Self.positions.count
        for (index, pattern) in patterns.enumerated() where pattern.enabled {
            var bucket = buckets[pattern.alertname] ?? Bucket()
            if pattern.source == .seed {
                bucket.seeds.append(index)
            } else {
                var row = [Int32](repeating: -1, count: width)
                var mask: UInt16 = 0
                for part in pattern.symptom.parts {
                    guard let (position, value) = Self.split(part) else { continue }
                    mask |= 1 << UInt16(position)
                    row[position] = intern(String(value), at: position)
                }
                let slot = Int32(bucket.learned.count)
                for id in row where id >= 0 { bucket.postings[id, default: []].append(slot) }
                bucket.learned.append(index)
                bucket.masks.append(mask)
                bucket.counts.append(UInt8(mask.nonzeroBitCount))
            }
            buckets[pattern.alertname] = bucket
        }
    }

    /// A part's position and value (`container=nginx` → the container position, `nginx`), nil
    /// for a label that is not a fingerprint position.
    private static func split(_ part: String) -> (Int, Substring)? {
        guard let equals = part.firstIndex(of: "="), let position = positionOf[String(part[..<equals])] else { return nil }
        return (position, part[part.index(after: equals)...])
    }

    private mutating func intern(_ value: String, at position: Int) -> Int32 {
        if let id = valueIDs[position][value] { return id }
        defer { nextValueID += 1 }
        valueIDs[position][value] = nextValueID
        return nextValueID
    }

    /// Every enabled pattern that matches `alert` (learned ones at or above the gate, seeds of
    /// its alertname), best first: lower tier, then higher similarity, then higher
    /// confidence, then lower id. Whether the pattern binds to the alert's labels is not
    /// checked here.
    ///
    /// The alert's fingerprint is `fingerprint` when given, else read from its labels position
    /// by position (the same parts as `SymptomFingerprint(labels:)`, without building them).
    /// Each part present in both counts one for every pattern listed under it, so a similarity
    /// costs only the patterns that share a part, plus one pass over the counts.
    public func matches(for alert: Alert, fingerprint: SymptomFingerprint? = nil, now: Timestamp) -> [Match] {
        guard let bucket = buckets[alert.alertname] else { return [] }
        var found: [Match] = []
        if !bucket.learned.isEmpty {
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: bucket.learned.count) { shared in
                shared.initialize(repeating: 0)
                // The query's value id per position: -1 absent, -2 a value no pattern has.
                let queryMask = withUnsafeTemporaryAllocation(of: Int32.self, capacity: Self.positions.count) { query in
                    query.initialize(repeating: -1)
                    var mask: UInt16 = 0
                    func set(_ position: Int, _ value: String) {
                        mask |= 1 << UInt16(position)
                        query[position] = valueIDs[position][value] ?? -2
                    }
                    if let fingerprint {
                        for part in fingerprint.parts { if let (position, value) = Self.split(part) { set(position, String(value)) } }
                    } else {
                        set(0, alert.labels["alertname"] ?? "")
                        for (offset, name) in SymptomFingerprint.labels.enumerated() {
                            guard let value = alert.labels[name], !value.isEmpty else { continue }
                            set(offset + 1, VolatileValues.normalise(value))
                        }
                    }
                    for id in query where id >= 0 {
                        for slot in bucket.postings[id] ?? [] { shared[Int(slot)] &+= 1 }
                    }
                    return mask
                }
                let queryCount = queryMask.nonzeroBitCount
                for slot in 0..<bucket.learned.count {
                    if (bucket.masks[slot] ^ queryMask) & Self.requiredMask != 0 { continue }  // capped at 0.3: below the gate
                    let common = Int(shared[slot])
                    let union = Int(bucket.counts[slot]) + queryCount - common
                    // common / union ≥ 0.70, in integers.
                    guard union > 0, common * 10 >= union * 7 else { continue }
                    let pattern = patterns[bucket.learned[slot]]
                    let confidence = pattern.confidence(now: now)
                    found.append(
                        Match(
                            pattern: pattern, similarity: Double(common) / Double(union),
                            tier: FixTier(confidence: confidence, verifiedSuccesses: pattern.successes), confidence: confidence))
                }
            }
        }
        for index in bucket.seeds {
            let pattern = patterns[index]
            let confidence = pattern.confidence(now: now)
            found.append(
                Match(
                    pattern: pattern, similarity: 1, tier: FixTier(confidence: confidence, verifiedSuccesses: pattern.successes),
                    confidence: confidence))
        }
        return found.sorted {
            ($0.tier, -$0.similarity, -$0.confidence, $0.pattern.id) < ($1.tier, -$1.similarity, -$1.confidence, $1.pattern.id)
        }
    }
}
