/// The enabled patterns, indexed for choosing a fix quickly: by alertname, then for learned
/// patterns by which fingerprint labels they have (a pattern whose required parts differ
/// from the alert's cannot reach the gate) and by interned part values, so that a similarity
/// is a dozen integer comparisons.
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
        /// Per learned pattern: which of the fingerprint positions are present (bit i).
        var masks: [UInt16] = []
        /// Per learned pattern: `positions` value ids (-1 when absent).
        var values: [Int32] = []
        var counts: [Int32] = []
    }

    /// `alertname` then `SymptomFingerprint.labels`.
    private static let positions = ["alertname"] + SymptomFingerprint.labels
    private static let positionOf: [String: Int] = Dictionary(uniqueKeysWithValues: positions.enumerated().map { ($1, $0) })
    private static let requiredMask: UInt16 = positions.enumerated().reduce(0) {
        SymptomFingerprint.requiredLabels.contains($1.element) ? $0 | (1 << UInt16($1.offset)) : $0
    }

    public let patterns: [LearnedPattern]
    private var buckets: [String: Bucket] = [:]
    private var valueIDs: [String: Int32] = [:]

    /// Indexes the enabled ones of `patterns`.
    public init(_ patterns: [LearnedPattern]) {
        self.patterns = patterns
        for (index, pattern) in patterns.enumerated() where pattern.enabled {
            var bucket = buckets[pattern.alertname] ?? Bucket()
            if pattern.source == .seed {
                bucket.seeds.append(index)
            } else {
                var row = [Int32](repeating: -1, count: Self.positions.count)
                var mask: UInt16 = 0
                for part in pattern.symptom.parts {
                    guard let position = Self.positionOf[String(SymptomFingerprint.name(of: part))] else { continue }
                    mask |= 1 << UInt16(position)
                    row[position] = intern(part)
                }
                bucket.learned.append(index)
                bucket.masks.append(mask)
                bucket.values += row
                bucket.counts.append(Int32(mask.nonzeroBitCount))
            }
            buckets[pattern.alertname] = bucket
        }
    }

    private mutating func intern(_ part: String) -> Int32 {
        if let id = valueIDs[part] { return id }
        let id = Int32(valueIDs.count)
        valueIDs[part] = id
        return id
    }

    /// Every enabled pattern that matches `alert` (learned ones at or above the gate, seeds of
    /// its alertname), best first: lower tier, then higher similarity, then higher
    /// confidence, then lower id. Whether the pattern binds to the alert's labels is not
    /// checked here.
    public func matches(for alert: Alert, fingerprint: SymptomFingerprint? = nil, now: Timestamp) -> [Match] {
        guard let bucket = buckets[alert.alertname] else { return [] }
        var found: [Match] = []
        if !bucket.learned.isEmpty {
            let symptom = fingerprint ?? SymptomFingerprint(labels: alert.labels)
            var query = [Int32](repeating: -2, count: Self.positions.count)
            var queryMask: UInt16 = 0
            for part in symptom.parts {
                guard let position = Self.positionOf[String(SymptomFingerprint.name(of: part))] else { continue }
                queryMask |= 1 << UInt16(position)
                query[position] = valueIDs[part] ?? -2
            }
            let queryCount = Int32(queryMask.nonzeroBitCount)
            let width = Self.positions.count
            bucket.values.withUnsafeBufferPointer { values in
                for slot in 0..<bucket.learned.count {
                    let mask = bucket.masks[slot]
                    if (mask ^ queryMask) & Self.requiredMask != 0 { continue }  // capped at 0.3: below the gate
                    var shared: Int32 = 0
                    let base = slot * width
                    for position in 0..<width where values[base + position] == query[position] { shared += 1 }
                    let union = bucket.counts[slot] + queryCount - shared
                    // shared / union ≥ 0.70, in integers.
                    guard union > 0, shared * 10 >= union * 7 else { continue }
                    let pattern = patterns[bucket.learned[slot]]
                    let confidence = pattern.confidence(now: now)
                    found.append(
                        Match(
                            pattern: pattern, similarity: Double(shared) / Double(union),
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
