extension DiscordNotification {
    /// The message for a host transition, or nil when the change is not news:
    /// ONLINE → OFFLINE is `hostOffline`; OFFLINE or CHECKING → ONLINE is `hostRecovered`;
    /// a host that answered a probe (→ CHECKING) and one that failed again (CHECKING →
    /// OFFLINE) stay quiet, because people were told it is offline and it still is.
    /// - Parameters:
    ///   - transition: The committed transition.
    ///   - offlineSince: For a recovery, when the host went OFFLINE.
    ///   - suppressed: For a recovery, the alerts suppressed while it was offline.
    public static func hostTransition(
        _ transition: HostTransition, offlineSince: Timestamp? = nil, suppressed: SuppressionSummary = SuppressionSummary()
    ) -> DiscordNotification? {
        switch (transition.from, transition.to) {
        case (.online, .offline): return hostOffline(transition)
        case (.offline, .online), (.checking, .online): return hostRecovered(transition, offlineSince: offlineSince, suppressed: suppressed)
        default: return nil
        }
    }

    /// "Host offline". Red. Dedup key: `host-offline:<host>@<at>`.
    /// - Parameter transition: The transition to OFFLINE.
    public static func hostOffline(_ transition: HostTransition) -> DiscordNotification {
        var fields = [DiscordEmbed.Field("Failed attempts", "\(transition.consecutiveFailures)", inline: true)]
        if let last = transition.lastSuccessAt { fields.append(DiscordEmbed.Field("Last success", last.rfc3339, inline: true)) }
        if let error = transition.error { fields.append(DiscordEmbed.Field("Last error", error)) }
        let embed = DiscordEmbed(
            title: "🔴 Host offline: \(transition.host)",
            description: "Alerts for \(transition.host) are suppressed until it answers again; probe-hosts re-checks it.",
            severity: .critical, fields: fields, timestamp: transition.at)
        return DiscordNotification(
            dedupKey: "host-offline:\(transition.host)@\(transition.at.rfc3339)", kind: .hostOffline, message: DiscordMessage(embed: embed))
    }

    /// "Host recovered", with what was suppressed meanwhile (count, critical and warning
    /// counts, alert names) and how long it was offline. Green.
    /// Dedup key: `host-recovered:<host>@<at>`.
    /// - Parameters:
    ///   - transition: The transition to ONLINE.
    ///   - offlineSince: When it went OFFLINE, for the duration; nil leaves it out.
    ///   - suppressed: The alerts suppressed while it was offline.
    public static func hostRecovered(
        _ transition: HostTransition, offlineSince: Timestamp?, suppressed: SuppressionSummary = SuppressionSummary()
    ) -> DiscordNotification {
        var fields: [DiscordEmbed.Field] = []
        if let since = offlineSince {
            fields.append(DiscordEmbed.Field("Offline for", DurationParser.format(seconds: transition.at.seconds(since: since)), inline: true))
        }
        fields.append(DiscordEmbed.Field("Alerts suppressed", suppressed.countsLine, inline: true))
        if suppressed.total > 0 { fields.append(DiscordEmbed.Field("Suppressed alerts", suppressed.alertNamesLine())) }
        let embed = DiscordEmbed(
            title: "🟢 Host recovered: \(transition.host)", description: "\(transition.host) is ONLINE again; its alerts are handled again.",
            severity: .success, fields: fields, timestamp: transition.at)
        return DiscordNotification(
            dedupKey: "host-recovered:\(transition.host)@\(transition.at.rfc3339)", kind: .hostRecovered, message: DiscordMessage(embed: embed))
    }
}
