extension Duration {
    /// Whole milliseconds, rounded up, never negative (for `poll` timeouts).
    var wholeMillisecondsRoundedUp: Int64 {
        let (seconds, attoseconds) = components
        guard seconds >= 0, attoseconds >= 0 || seconds > 0 else { return 0 }
        let millis = seconds * 1000 + (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000
        return max(0, millis)
    }

    /// `Duration` as seconds with millisecond precision, as coreutils `timeout` reads it: `1.5`, `60`.
    var secondsArgument: String {
        let millis = max(1, wholeMillisecondsRoundedUp)
        let whole = millis / 1000
        let fraction = millis % 1000
        guard fraction != 0 else { return String(whole) }
        var fractionText = String(fraction)
        while fractionText.count < 3 { fractionText = "0" + fractionText }
        while fractionText.hasSuffix("0") { fractionText.removeLast() }
        return "\(whole).\(fractionText)"
    }
}

extension ContinuousClock.Instant {
    /// Milliseconds from now until this instant, for `poll`; 0 when it has passed, capped at `cap`.
    func pollTimeout(cap: Int64 = 60_000) -> Int32 {
        let remaining = ContinuousClock.now.duration(to: self)
        return Int32(min(cap, remaining.wholeMillisecondsRoundedUp))
    }
}
