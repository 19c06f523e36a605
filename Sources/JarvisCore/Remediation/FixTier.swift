/// How a fix is chosen for an alert, by how much the best matching pattern is trusted.
///
/// - `tier1`: confidence ≥ 0.90 and ≥ 5 verified successes (on distinct occurrences): the
///   pattern runs with no LLM call.
/// - `tier2`: confidence in [0.70, 0.90) and ≥ 3 verified successes: the LLM is called with
///   the pattern as a hint.
/// - `tier3`: anything else: the LLM diagnoses from scratch.
///
/// A pattern with confidence ≥ 0.90 but fewer than 5 successes is tier 2 when it has at least
/// 3 (it is at least as trusted as a hint), else tier 3.
public enum FixTier: Int, Sendable, Hashable, Codable, CaseIterable, Comparable, CustomStringConvertible {
    /// Tier 1: run the learned pattern without the LLM.
    case tier1 = 1
    /// Tier 2: ask the LLM, with the pattern as a hint.
    case tier2 = 2
    /// Tier 3: full LLM diagnosis.
    case tier3 = 3

    /// Tier 1 needs at least this confidence [0.90].
    public static let tier1MinimumConfidence = 0.90
    /// Tier 1 needs at least this many verified successes [5].
    public static let tier1MinimumSuccesses = 5
    /// Tier 2 needs at least this confidence [0.70].
    public static let tier2MinimumConfidence = 0.70
    /// Tier 2 needs at least this many verified successes [3].
    public static let tier2MinimumSuccesses = 3

    /// The tier of a pattern.
    ///
    /// - Parameters:
    ///   - confidence: The pattern's `PatternConfidence`, decayed to now.
    ///   - verifiedSuccesses: Its verified successes on distinct occurrences.
    public init(confidence: Double, verifiedSuccesses: Int) {
        if confidence >= FixTier.tier1MinimumConfidence, verifiedSuccesses >= FixTier.tier1MinimumSuccesses {
            self = .tier1
        } else if confidence >= FixTier.tier2MinimumConfidence, verifiedSuccesses >= FixTier.tier2MinimumSuccesses {
            self = .tier2
        } else {
            self = .tier3
        }
    }

    /// Tier 1 runs before tier 2 before tier 3.
    public static func < (lhs: FixTier, rhs: FixTier) -> Bool { lhs.rawValue < rhs.rawValue }

    /// `tier 1 (learned fix, no LLM)`, `tier 2 (LLM with a hint)`, `tier 3 (LLM diagnosis)`.
    public var description: String {
        switch self {
        case .tier1: return "tier 1 (learned fix, no LLM)"
        case .tier2: return "tier 2 (LLM with a learned hint)"
        case .tier3: return "tier 3 (LLM diagnosis)"
        }
    }
}
