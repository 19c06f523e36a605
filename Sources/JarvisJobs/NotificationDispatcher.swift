import JarvisCore

/// Sends what waits in the notification outbox to the Discord webhook, in order, each
/// message once.
///
/// How a run goes (`deliverDue()`):
/// 1. With no webhook configured it does nothing (and `enqueue` enqueued nothing).
/// 2. It takes the `notify` lock (`flock`, without waiting): two runs never send the same
///    message at the same time. A run that finds the lock taken returns at once; the holder
///    keeps draining until the outbox has nothing due, so it also sends what this run enqueued,
///    or the next run does.
/// 3. It sends the due messages oldest first and follows `DiscordDelivery` for each answer:
///    a 2xx is marked delivered at once; a 429 waits `retry_after`; 5xx and network failures
///    back off; another 4xx marks the message dead with Discord's answer. Every failed try is
///    recorded in the row (`attempts`, `last_error`) before the next one. When the policy
///    gives up for this run (tries or waiting budget spent), the message is deferred
///    (`next_attempt_at`) and the run stops, leaving it and the ones behind it for a later run.
/// 4. Delivered and dead rows older than `DiscordSettings.retention` are pruned.
///
/// Delivery is at least once. The row is marked delivered right after Discord's 2xx, in one
/// short SQLite transaction. If the process dies between the two (or the 2xx is lost on the
/// way back, which looks like a timeout), the next run sends the message again and Discord
/// shows it twice. Discord's webhook API has no idempotency key, so this window cannot be
/// closed, only kept small: nothing else happens between the answer and the mark.
public struct NotificationDispatcher: Sendable {
    /// Webhook, username, timeout, retry policy and retention.
    public var settings: DiscordSettings
    /// The outbox (live: the local database).
    public var journal: any NotificationOutbox
    /// Takes the `notify` lock (live: `flock`).
    public var locks: any ProcessLocks
    /// Sends the HTTP requests (libcurl live).
    public var transport: any HTTPTransport
    /// Waits between retries.
    public var sleeper: any Sleeper
    /// The lock file that keeps two runs from sending at once.
    public var lockPath: String
    /// The wall clock.
    public var now: @Sendable () -> Timestamp
    /// Outbox rows read per query [50].
    public var batchSize = 50
    /// Checked between messages: true after SIGTERM.
    public var shouldStop: @Sendable () -> Bool = { false }
    /// With runners sharing PostgreSQL: which runner sends each message; nil: this one.
    public var sharedClaims: SharedSendClaims?

    /// Creates a dispatcher.
    /// - Parameters:
    ///   - settings: The `discord:` settings.
    ///   - journal: The outbox.
    ///   - locks: Takes the `notify` lock.
    ///   - transport: Sends requests.
    ///   - sleeper: Waits between retries.
    ///   - lockPath: The lock file, e.g. `JarvisConfiguration.lockPath("notify")`.
    ///   - now: The wall clock.
    public init(
        settings: DiscordSettings, journal: any NotificationOutbox, locks: any ProcessLocks, transport: any HTTPTransport,
        sleeper: any Sleeper, lockPath: String, now: @escaping @Sendable () -> Timestamp
    ) {
        self.settings = settings
        self.journal = journal
        self.locks = locks
        self.transport = transport
        self.sleeper = sleeper
        self.lockPath = lockPath
        self.now = now
    }

    /// Creates a dispatcher from the whole configuration: its `discord` settings and the
    /// `notify` lock in the state directory.
    /// - Parameters:
    ///   - configuration: The configuration.
    ///   - journal: The outbox.
    ///   - locks: Takes the `notify` lock.
    ///   - transport: Sends requests.
    ///   - sleeper: Waits between retries.
    ///   - now: The wall clock.
    public init(
        configuration: JarvisConfiguration, journal: any NotificationOutbox, locks: any ProcessLocks, transport: any HTTPTransport,
        sleeper: any Sleeper, now: @escaping @Sendable () -> Timestamp
    ) {
        self.init(
            settings: configuration.discord, journal: journal, locks: locks, transport: transport, sleeper: sleeper,
            lockPath: configuration.lockPath("notify"), now: now)
    }

    /// Puts `notifications` in the outbox (once per dedup key); nothing when no webhook is
    /// configured. To enqueue in the same transaction as other state, the journal's own
    /// writes take `settings.outboxMessages(notifications)`.
    /// - Parameter notifications: What to send.
    /// - Returns: How many were new.
    /// - Throws: `JournalError` when SQLite fails.
    @discardableResult
    public func enqueue(_ notifications: [DiscordNotification]) throws -> Int {
        try journal.enqueueNotifications(settings.outboxMessages(notifications), now: now())
    }

    /// Sends every due message; see the type's documentation for the steps.
    /// - Returns: What was delivered, given up or postponed, and the outbox afterwards.
    /// - Throws: `JournalError` when the outbox cannot be read or written, or the lock's
    ///   error when the lock file cannot be opened. Discord failures are never thrown: they are in the report.
    public func deliverDue() throws -> DeliveryReport {
        var report = DeliveryReport()
        guard let webhook = settings.webhookURL else {
            report.skipped = .disabled
            return report
        }
        guard let lock = try locks.acquire(lockPath, timeout: 0) else {
            report.skipped = .busy(holder: locks.holder(lockPath))
            report.depth = try journal.outboxDepth()
            return report
        }
        defer { lock.release() }

        var delivery = DiscordDelivery(policy: settings.retryPolicy)
        drain: while !shouldStop() {
            let due = try journal.dueNotifications(now: now(), limit: batchSize)
            guard !due.isEmpty else { break }
            for row in due {
                if shouldStop() { break drain }
                if !(try send(row, to: webhook.value, with: &delivery, into: &report)) { break drain }
            }
        }
        report.stopped = shouldStop()
        report.pruned = try journal.pruneNotifications(finishedBefore: now().adding(seconds: -settings.retention))
        report.depth = try journal.outboxDepth()
        return report
    }

    /// Sends one message until it is delivered, dead or postponed.
    /// - Returns: false when the run must stop (postponed).
    private func send(_ row: OutboxRow, to url: String, with delivery: inout DiscordDelivery, into report: inout DeliveryReport) throws -> Bool {
        if let sender = sharedClaims?.otherSender(of: row) {
            try journal.markDelivered(id: row.id, at: now())
            report.sentElsewhere.append("\(row.dedupKey) (by runner \(sender))")
            return true
        }
        let request = HTTPRequest(
            method: "POST", url: url, headers: [HTTPHeader("Content-Type", "application/json")], body: Array(row.body.utf8),
            timeout: settings.timeout)
        delivery.startMessage()
        var tries = 0
        while true {
            tries += 1
            report.requests += 1
            let attempt: DiscordDelivery.Attempt
            var response: HTTPResponse?
            do {
                let answer = try transport.send(request)
                response = answer
                attempt = .response(answer)
            } catch let error as HTTPTransportError {
                attempt = .failure(error)
            } catch {
                attempt = .failure(.unreachable("\(error)"))
            }
            let at = now()
            switch delivery.step(after: attempt, totalAttempts: row.attempts + tries, age: at.seconds(since: row.createdAt)) {
            case .delivered:
                try journal.markDelivered(id: row.id, at: at)
                report.delivered.append(row.dedupKey)
                // Discord says when the webhook's bucket is empty; waiting now avoids a 429.
                if let response, let pause = delivery.pause(after: response) {
                    report.waitedSeconds += pause
                    sleeper.sleep(seconds: pause)
                }
                return true
            case .retry(let seconds, let reason):
                try journal.markFailed(id: row.id, error: reason, tries: 1, nextAttemptAt: at)
                report.retries += 1
                report.waitedSeconds += seconds
                sleeper.sleep(seconds: seconds)
            case .postpone(let seconds, let reason):
                let next = at.adding(seconds: seconds)
                try journal.markFailed(id: row.id, error: reason, tries: 1, nextAttemptAt: next)
                report.postponed = DeliveryReport.Postponement(dedupKey: row.dedupKey, reason: reason, notBefore: next)
                return false
            case .dead(let reason):
                try journal.markDead(id: row.id, reason: reason, tries: 1, at: at)
                report.dead.append(DeliveryReport.DeadLetter(dedupKey: row.dedupKey, kind: row.kind, reason: reason))
                return true
            }
        }
    }
}

/// What one `NotificationDispatcher.deliverDue()` run did.
public struct DeliveryReport: Sendable, Equatable {
    /// Why a run sent nothing at all.
    public enum Skip: Sendable, Equatable {
        /// No webhook URL is configured.
        case disabled
        /// Another run holds the `notify` lock (its pid, when known).
        case busy(holder: Int32?)
    }

    /// A message given up on for good.
    public struct DeadLetter: Sendable, Equatable {
        public var dedupKey: String
        public var kind: String
        public var reason: String
    }

    /// The message that stopped the run, and when it may be tried again.
    public struct Postponement: Sendable, Equatable {
        public var dedupKey: String
        public var reason: String
        public var notBefore: Timestamp
    }

    /// Set when the run did not try to send.
    public var skipped: Skip?
    /// Dedup keys delivered, in order.
    public var delivered: [String] = []
    /// Messages another runner sharing PostgreSQL claimed and sends (not posted here).
    public var sentElsewhere: [String] = []
    /// Messages marked dead.
    public var dead: [DeadLetter] = []
    /// Set when Discord could not be reached (or rate-limited for long) and the run stopped.
    public var postponed: Postponement?
    /// HTTP requests made.
    public var requests = 0
    /// Of those, retries within the run.
    public var retries = 0
    /// Seconds spent waiting (retry_after, backoff, rate-limit pauses).
    public var waitedSeconds = 0.0
    /// Finished rows pruned.
    public var pruned = 0
    /// True when SIGTERM stopped it.
    public var stopped = false
    /// The outbox afterwards.
    public var depth: OutboxDepth?

    /// An empty report.
    public init() {}

    /// True when something needs attention: a message died or could not be sent.
    public var isDegraded: Bool { postponed != nil || !dead.isEmpty }

    /// One line for logs, e.g. `discord: delivered 3, dead 0, 1 retry (0.25 s waited); 0 pending`.
    /// Never contains the webhook URL.
    public var summary: String {
        switch skipped {
        case .disabled: return "discord: off (no webhook URL configured)"
        case .busy(let holder):
            return "discord: another run is delivering" + (holder.map { " (pid \($0))" } ?? "") + pendingText
        case nil: break
        }
        var text = "discord: delivered \(delivered.count), dead \(dead.count), \(retries) retr\(retries == 1 ? "y" : "ies")"
        if waitedSeconds > 0 { text += " (\(DiscordDeliveryFormat.seconds(waitedSeconds)) s waited)" }
        if !sentElsewhere.isEmpty { text += "; \(sentElsewhere.count) sent by another runner" }
        if let postponed { text += "; postponed until \(postponed.notBefore.displayText): \(postponed.reason)" }
        if stopped { text += "; stopped by signal" }
        return text + pendingText
    }

    private var pendingText: String {
        guard let depth else { return "" }
        return "; \(depth.pending) pending" + (depth.dead > 0 ? ", \(depth.dead) dead kept" : "")
    }
}

enum DiscordDeliveryFormat {
    static func seconds(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String((value * 100).rounded() / 100)
    }
}
