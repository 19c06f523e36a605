import JarvisCore

/// The `discord:` section of the configuration.
///
/// ```yaml
/// discord:
///   webhook_url: https://discord.com/api/webhooks/…   # better: a credential, see below
///   username: jarvis      # the name messages are posted under
///   timeout: 10s          # one HTTP exchange, connect included
///   proxy: http://proxy:3128   # optional; environment proxies are never used
/// ```
///
/// The webhook URL is a secret (whoever has it can post to the channel). It may come from the
/// file, from the systemd credential `discord_webhook_url` (`$CREDENTIALS_DIRECTORY`), or from
/// `JARVIS_DISCORD_WEBHOOK_URL`, in increasing priority, and it is held in a `Secret`.
///
/// With no webhook URL, notifications are off: nothing is enqueued (`outboxMessages` returns
/// nothing), so the outbox does not fill up with messages nobody will send and a webhook
/// configured later does not flood the channel with stale news.
public struct DiscordSettings: Sendable {
    /// The webhook; nil turns notifications off.
    public var webhookURL: Secret<String>?
    /// The display name messages are posted under [jarvis].
    public var username = "jarvis"
    /// Seconds one HTTP exchange may take [10].
    public var timeout = 10.0
    /// A proxy for Discord only; nil means a direct connection [nil].
    public var proxy: Secret<String>?
    /// Retries, backoff and giving up (not configurable yet).
    public var retryPolicy = DiscordRetryPolicy()
    /// Delivered and dead messages are kept this many seconds, then pruned [30 days]. Longer
    /// than a week, so that a weekly report's dedup key outlives its week.
    public var retention = 30.0 * 86_400

    /// Notifications off.
    public init() {}

    /// True when a webhook URL is configured.
    public var isEnabled: Bool { webhookURL != nil }

    /// The outbox rows for `notifications`, bodies rendered with `username`; empty when
    /// notifications are off.
    /// - Parameter notifications: What to send.
    public func outboxMessages(_ notifications: [DiscordNotification]) -> [OutboxMessage] {
        guard isEnabled else { return [] }
        return notifications.map { OutboxMessage(dedupKey: $0.dedupKey, kind: $0.kind.rawValue, body: $0.jsonBody(username: username)) }
    }

    /// Why `url` cannot be a webhook URL, or nil when it can: it must be `https://`, or
    /// `http://` to the loopback interface (for tests and local relays). The URL itself is
    /// never part of the answer.
    /// - Parameter url: The candidate.
    public static func problem(withWebhookURL url: String) -> String? {
        let lower = url.lowercased()
        if lower.hasPrefix("https://"), lower.count > "https://".count { return nil }
        for local in ["http://127.0.0.1:", "http://127.0.0.1/", "http://localhost:", "http://localhost/", "http://[::1]:"]
        where lower.hasPrefix(local) {
            return nil
        }
        return "expected an https:// URL (value not shown: it is a secret)"
    }

    /// Why `name` cannot be a webhook username, or nil: Discord refuses names longer than 80
    /// code points and names containing `@`, `#`, `:`, ```` ``` ````, `discord` or `clyde`.
    /// - Parameter name: The candidate.
    public static func problem(withUsername name: String) -> String? {
        let length = DiscordLimits.length(name)
        guard (1...DiscordLimits.username).contains(length) else { return "must be 1 to 80 characters" }
        let lower = name.lowercased()
        for forbidden in ["@", "#", ":", "```", "discord", "clyde"] where lower.contains(forbidden) {
            return "Discord refuses usernames containing \"\(forbidden)\""
        }
        return nil
    }
}
