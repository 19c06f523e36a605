/// The numbers behind `DiscordDelivery`: how often and how long one run retries, and when a
/// message waiting in the outbox is given up.
public struct DiscordRetryPolicy: Sendable, Equatable {
    /// Tries per message and run for 5xx answers, timeouts and unreachable servers, the
    /// first one included [3].
    public var triesPerRun = 3
    /// Waits before the second, third… try after such a failure, in seconds [1, 2, 4]; the
    /// last one repeats if `triesPerRun` asks for more.
    public var backoff: [Double] = [1, 2, 4]
    /// All waits of one run together (backoff and `retry_after`) stay within this many
    /// seconds; a wait that would pass it ends the run instead [30].
    public var maximumWaitPerRun = 30.0
    /// 429 answers honoured per message and run before the run gives up [5].
    public var rateLimitRetriesPerRun = 5
    /// When a run gives up on a message, the next run may try it after this many seconds,
    /// doubled for every further run that gives up, up to `deferralCap` [30].
    public var deferralBase = 30.0
    /// The longest deferral between runs, in seconds [1800].
    public var deferralCap = 1800.0
    /// A message still undeliverable this many seconds after it was enqueued is marked dead
    /// instead of being deferred again [172800, two days].
    public var maximumAge = 172_800.0

    /// The defaults.
    public init() {}

    /// Seconds before the next run may try a message that has failed `attempts` times in all.
    /// - Parameter attempts: Failed tries so far, across runs.
    public func deferral(afterAttempts attempts: Int) -> Double {
        let runs = max(1, (attempts + triesPerRun - 1) / max(1, triesPerRun))
        let exponent = min(runs - 1, 20)
        return min(deferralCap, deferralBase * Double(1 << exponent))
    }

    /// The wait before try number `nextTry` (2 for the first retry).
    func backoff(beforeTry nextTry: Int) -> Double {
        guard !backoff.isEmpty else { return 0 }
        return backoff[min(max(0, nextTry - 2), backoff.count - 1)]
    }
}
