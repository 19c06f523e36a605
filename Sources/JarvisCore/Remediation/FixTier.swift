/// How a fix is chosen for an alert, by how much the best matching pattern is trusted
/// (features.md, "Choosing a fix: tiers").
///
/// - Tier 1, `cached`: confidence ≥ 0.90 and ≥ 5 verified successes (on distinct
///   occurrences): the pattern runs with no LLM call.
/// - Tier 2, `hint`: confidence in [0.70, 0.90) and ≥ 3 verified successes: the LLM is
///   called with the pattern as a hint.
/// - Tier 3, `full`: anything else: the LLM diagnoses from scratch.
///
/// A pattern with confidence ≥ 0.90 but fewer than 5 successes is tier 2 when it has at least
/// 3 (it is at least as trusted as a hint), else tier 3.
public enum FixTier: Int, Sendable, Hashable, Codable, CaseIterable, Comparable, CustomStringConvertible {
    /// Tier 1: run the learned pattern without the LLM.
    case cached = 1
    /// Tier 2: ask the LLM, with the pattern as a hint.
    case hint = 2
    /// Tier 3: full LLM diagnosis.
    case full = 3

    /// Tier 1 needs at least this confidence [0.90].
    public static let cachedMinimumConfidence = 0.90
    /// Tier 1 needs at least this many verified successes [5].
    public static let cachedMinimumSuccesses = 5
    /// Tier 2 needs at least this confidence [0.70].
    public static let hintMinimumConfidence = 0.70
    /// Tier 2 needs at least this many verified successes [3].
    public static let hintMinimumSuccesses = 3

    /// The tier of a pattern.
    ///
    /// - Parameters:
    ///   - confidence: The pattern's `PatternConfidence`, decayed to now.
    ///   - verifiedSuccesses: Its verified successes on distinct occurrences.
    public init(confidence: Double, verifiedSuccesses: Int) {
        if confidence >= FixTier.cachedMinimumConfidence, verifiedSuccesses >= FixTier.cachedMinimumSuccesses {
            self = .cached
        } else if confidence >= FixTier.hintMinimumConfidence, verifiedSuccesses >= FixTier.hintMinimumSuccesses {
            self = .hint
        } else {
            self = .full
        }
    }

    /// Tier 1 runs before tier 2 before tier 3.
    public static func < (lhs: FixTier, rhs: FixTier) -> Bool { lhs.rawValue < rhs.rawValue }

    /// `tier 1 (cached)`, `tier 2 (hint)`, `tier 3 (full)`.
    public var description: String {
        switch self {
        case .cached: return "tier 1 (cached)"
        case .hint: return "tier 2 (hint)"
        case .full: return "tier 3 (full)"
        }
    }
}
