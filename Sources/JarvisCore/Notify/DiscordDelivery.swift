/// The retry policy of one delivery run, as a state machine: the caller sends a message,
/// reports what happened (`step(after:)`), and does what the returned step says.
///
/// - 2xx: delivered.
/// - 429: wait `retry_after` (the JSON body's field, in seconds, else the `Retry-After` or
///   `X-RateLimit-Reset-After` header, else 1 s), then send again.
/// - 5xx, other unexpected statuses, timeouts and unreachable servers: send again after 1 s,
///   then 2 s (three tries per run by default).
/// - Any other 4xx: the message itself is wrong (or the webhook is gone); it is dead, with
///   Discord's answer as the reason, and is never retried.
///
/// Waits of a whole run are bounded (`DiscordRetryPolicy.maximumWaitPerRun`). When a retry
/// would pass the bound, or the tries are spent, the step is `.postpone`: the message stays in
/// the outbox for a later run, not before the returned delay, and the caller ends the run
/// (Discord is down or rate-limiting; the messages behind would fare no better, and must not
/// overtake it). A message older than `maximumAge` is `.dead` instead of postponed again.
public struct DiscordDelivery: Sendable {
    /// What the caller does next.
    public enum Step: Sendable, Equatable {
        /// Mark it delivered.
        case delivered
        /// Wait `seconds`, then send the same message again.
        case retry(afterSeconds: Double, reason: String)
        /// Leave it for a later run, not before `notBeforeSeconds` from now; end this run.
        case postpone(notBeforeSeconds: Double, reason: String)
        /// Never send it again; `reason` says why.
        case dead(reason: String)
    }

    /// What one try produced.
    public enum Attempt: Sendable, Equatable {
        /// An HTTP answer, any status.
        case response(HTTPResponse)
        /// No answer.
        case failure(HTTPTransportError)
    }

    /// The numbers.
    public let policy: DiscordRetryPolicy
    /// Seconds of waiting handed out so far in this run.
    public private(set) var waited = 0.0
    private var failedTries = 0
    private var rateLimited = 0

    /// Starts a run.
    /// - Parameter policy: The numbers [defaults].
    public init(policy: DiscordRetryPolicy = DiscordRetryPolicy()) {
        self.policy = policy
    }

    /// Resets the per-message counts before the first try of the next message; the run's
    /// waiting budget carries on.
    public mutating func startMessage() {
        failedTries = 0
        rateLimited = 0
    }

    /// Decides what follows one try.
    /// - Parameters:
    ///   - attempt: The answer, or why there was none.
    ///   - totalAttempts: Tries of this message so far across runs, this one included.
    ///   - age: Seconds since the message was enqueued.
    /// - Returns: The next step.
    public mutating func step(after attempt: Attempt, totalAttempts: Int, age: Double) -> Step {
        let reason: String
        switch attempt {
        case .response(let response) where (200..<300).contains(response.status):
            return .delivered
        case .response(let response) where response.status == 429:
            rateLimited += 1
            let wait = Self.retryAfter(response) ?? 1
            reason = "rate limited (429), retry after \(Self.format(wait)) s"
            if rateLimited <= policy.rateLimitRetriesPerRun, waited + wait <= policy.maximumWaitPerRun {
                waited += wait
                return .retry(afterSeconds: wait, reason: reason)
            }
            return give(up: reason, notBefore: max(wait, policy.deferralBase), age: age)
        case .response(let response) where (400..<500).contains(response.status):
            return .dead(reason: "Discord refused it: HTTP \(response.status)" + Self.detail(response))
        case .response(let response):
            reason = "HTTP \(response.status)" + Self.detail(response)
        case .failure(let error):
            reason = error.description
        }
        failedTries += 1
        if failedTries < policy.triesPerRun {
            let wait = policy.backoff(beforeTry: failedTries + 1)
            if waited + wait <= policy.maximumWaitPerRun {
                waited += wait
                return .retry(afterSeconds: wait, reason: reason)
            }
        }
        return give(up: reason, notBefore: policy.deferral(afterAttempts: totalAttempts), age: age)
    }

    /// The pause to take after a delivery when Discord says the webhook's bucket is empty
    /// (`X-RateLimit-Remaining: 0` with `X-RateLimit-Reset-After`), so that the next message
    /// does not earn a 429; nil when there is no need or the run's waiting budget cannot pay it
    /// (then the next message meets the 429 and follows the usual rules). Counted in `waited`.
    /// - Parameter response: The 2xx answer.
    public mutating func pause(after response: HTTPResponse) -> Double? {
        guard response.header("X-RateLimit-Remaining")?.trimmingASCIISpaces() == "0",
            let reset = response.header("X-RateLimit-Reset-After").flatMap({ Double($0.trimmingASCIISpaces()) }),
            reset.isFinite, reset > 0, waited + reset <= policy.maximumWaitPerRun
        else { return nil }
        waited += reset
        return reset
    }

    private func give(up reason: String, notBefore: Double, age: Double) -> Step {
        if age >= policy.maximumAge {
            return .dead(reason: "undelivered after \(DurationParser.format(seconds: age)); last error: \(reason)")
        }
        return .postpone(notBeforeSeconds: notBefore, reason: reason)
    }

    /// Discord's wait for a 429, in seconds: the body's `retry_after` (a float), else the
    /// `Retry-After` header, else `X-RateLimit-Reset-After`; nil when none is a usable number.
    /// Negative and absurd values (over a day) are ignored.
    /// - Parameter response: The 429 answer.
    public static func retryAfter(_ response: HTTPResponse) -> Double? {
        func usable(_ value: Double?) -> Double? {
            guard let value, value.isFinite, value >= 0, value <= 86_400 else { return nil }
            return value
        }
        if let value = usable(JSONNumberField.read("retry_after", in: response.body)) { return value }
        for name in ["Retry-After", "X-RateLimit-Reset-After"] {
            if let value = usable(response.header(name).flatMap { Double($0.trimmingASCIISpaces()) }) { return value }
        }
        return nil
    }

    /// `: <Discord's message>` from a JSON error body, cut to 300 code points; empty when none.
    static func detail(_ response: HTTPResponse) -> String {
        let text = response.text.trimmingASCIISpaces()
        guard !text.isEmpty else { return "" }
        return ": " + DiscordLimits.truncate(text.replacingAll("\n", with: " "), to: 300)
    }

    static func format(_ seconds: Double) -> String {
        seconds == seconds.rounded() ? String(Int(seconds)) : String((seconds * 1000).rounded() / 1000)
    }
}

extension String {
    /// Without leading and trailing spaces, tabs, CR and LF.
    func trimmingASCIISpaces() -> String {
        var scalars = Substring(self)
        while let first = scalars.first, first == " " || first == "\t" || first == "\r" || first == "\n" || first == "\r\n" {
            scalars.removeFirst()
        }
        while let last = scalars.last, last == " " || last == "\t" || last == "\r" || last == "\n" || last == "\r\n" { scalars.removeLast() }
        return String(scalars)
    }
}
