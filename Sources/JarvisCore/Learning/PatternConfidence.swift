#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// How much a learned remediation pattern is trusted, on a scale from 0 to 1.
///
/// The Bayesian posterior mean of a success rate with a uniform prior, `(s+1)/(s+f+2)`,
/// pulled back towards the uninformed 0.5 as the evidence ages, with a half-life:
///
///     confidence = 0.5 + ((s+1)/(s+f+2) − 0.5) · 0.5^(ageDays / halfLifeDays)
///
/// This is the same formula as the SQL function `calculate_pattern_confidence` created by
/// migration 1; a test proves the two agree. Negative counts count as 0, a negative age (a
/// `last_used_at` in the future) as 0, a half-life that is not positive means no decay, and
/// after 1000 half-lives the confidence is exactly 0.5.
public enum PatternConfidence {
    /// The default half-life of evidence, in days.
    public static let defaultHalfLifeDays = 30.0

    /// The decayed posterior mean.
    ///
    /// - Parameters:
    ///   - successes: Verified successes `s`.
    ///   - failures: Verified failures `f`.
    ///   - ageDays: Days since the pattern was last used (0 when never used).
    ///   - halfLifeDays: Days after which the distance from 0.5 has halved.
    /// - Returns: A value in [0, 1]; 0.5 for a pattern with no evidence.
    public static func calculate(successes: Int, failures: Int, ageDays: Double, halfLifeDays: Double = defaultHalfLifeDays) -> Double {
        let s = Double(max(successes, 0))
        let f = Double(max(failures, 0))
        let mean = (s + 1) / (s + f + 2)
        guard halfLifeDays > 0, ageDays > 0 else { return mean }
        let halfLives = ageDays / halfLifeDays
        // As in SQL, where power() raises "underflow" past about 1074 half-lives.
        guard halfLives < 1000 else { return 0.5 }
        return 0.5 + (mean - 0.5) * pow(0.5, halfLives)
    }

    /// The decayed posterior mean for a pattern last used at `lastUsedAt` (nil: never), seen at `now`.
    ///
    /// - Parameters:
    ///   - successes: Verified successes.
    ///   - failures: Verified failures.
    ///   - lastUsedAt: When the pattern was last used, nil when never (age 0).
    ///   - now: The current time.
    ///   - halfLifeDays: Days after which the distance from 0.5 has halved.
    /// - Returns: A value in [0, 1].
    public static func calculate(
        successes: Int, failures: Int, lastUsedAt: Timestamp?, now: Timestamp, halfLifeDays: Double = defaultHalfLifeDays
    ) -> Double {
        let ageDays = lastUsedAt.map { now.seconds(since: $0) / 86_400 } ?? 0
        return calculate(successes: successes, failures: failures, ageDays: ageDays, halfLifeDays: halfLifeDays)
    }
}
