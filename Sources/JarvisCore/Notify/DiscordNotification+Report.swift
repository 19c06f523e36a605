extension DiscordNotification {
    /// The weekly report as one embed: a title, a summary and up to 25 fields (more are
    /// folded into the last one by `DiscordEmbed.fitted()`). Blue.
    /// Dedup key: `weekly-report:<week>`, so a second run in the same week posts nothing new.
    /// - Parameters:
    ///   - week: The period's label: an ISO week, e.g. `2026-W48` (footer `week 2026-W48`), or
    ///     its days (footer `period …`).
    ///   - title: The heading.
    ///   - summary: The description.
    ///   - fields: Figures, e.g. `Success rate` → `92 %`.
    ///   - at: When the report was made.
    public static func weeklyReport(week: String, title: String, summary: String, fields: [DiscordEmbed.Field], at: Timestamp)
        -> DiscordNotification
    {
        let embed = DiscordEmbed(
            title: title, description: summary, severity: .info, fields: fields, footer: (week.contains("-W") ? "week " : "period ") + week,
            timestamp: at)
        return DiscordNotification(dedupKey: "weekly-report:\(week)", kind: .weeklyReport, message: DiscordMessage(embed: embed))
    }
}
