/// One Discord webhook message: a single embed, and who it may ping.
///
/// Alert text (labels, annotations, command output) only ever goes inside the embed, and
/// embeds never ping anyone. On top of that, `allowed_mentions` is `{"parse": []}`, so even
/// text such as `@everyone` or `<@123>` pings nobody. The one exception is a critical
/// escalation (`mentionsHere`): its `content` is exactly `@here`, written by jarvis, with
/// `{"parse": ["everyone"]}` (Discord files `@here` under "everyone").
public struct DiscordMessage: Sendable, Equatable {
    /// The embed, as built (the JSON body carries `embed.fitted()`).
    public var embed: DiscordEmbed
    /// True only for critical escalations: `content` becomes `@here` and may ping.
    public var mentionsHere: Bool = false

    /// The JSON body for Discord's Execute Webhook endpoint, with the embed fitted to
    /// Discord's limits:
    /// `{"username":…,"content":"@here","allowed_mentions":{"parse":[…]},"embeds":[{…}]}`.
    /// - Parameter username: Overrides the webhook's display name; nil or empty keeps the
    ///   webhook's own (cut to 80 code points).
    public func jsonBody(username: String?) -> String {
        var writer = JSONWriter()
        if let username, !username.isEmpty { writer.field("username", DiscordLimits.truncate(username, to: DiscordLimits.username)) }
        if mentionsHere { writer.field("content", "@here") }
        writer.field("allowed_mentions", rawJSON: mentionsHere ? #"{"parse":["everyone"]}"# : #"{"parse":[]}"#)
        writer.field("embeds", rawJSON: "[" + embed.fitted().json + "]")
        return writer.finish()
    }
}
