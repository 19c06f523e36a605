/// How alike two symptoms are: the Jaccard overlap of their fingerprint parts,
/// `|A ∩ B| / |A ∪ B|`, capped at `missingRequiredCap` when one side has a required part
/// (container, system, remediation_host) that the other lacks. A learned pattern is a match for
/// an alert at `gate` or above.
public enum SymptomSimilarity {
    /// The match gate [0.70].
    public static let gate = 0.70
    /// The most a pair missing a required part on one side can score [0.3].
    public static let missingRequiredCap = 0.3

    /// The similarity of two fingerprints, 0…1.
    public static func score(_ a: SymptomFingerprint, _ b: SymptomFingerprint) -> Double {
        let left = Set(a.parts)
        let right = Set(b.parts)
        let union = left.union(right).count
        guard union > 0 else { return 0 }
        let jaccard = Double(left.intersection(right).count) / Double(union)
        let leftRequired = Set(a.parts.map(SymptomFingerprint.name(of:)).filter { SymptomFingerprint.requiredLabels.contains(String($0)) })
        let rightRequired = Set(b.parts.map(SymptomFingerprint.name(of:)).filter { SymptomFingerprint.requiredLabels.contains(String($0)) })
        return leftRequired == rightRequired ? jaccard : min(jaccard, missingRequiredCap)
    }

    /// True when `score` reaches the gate.
    public static func matches(_ a: SymptomFingerprint, _ b: SymptomFingerprint) -> Bool { score(a, b) >= gate }
}
