extension DiscordNotification {
    /// "Remediated": the action ran and the alert was verified fixed. Green.
    /// Dedup key: `remediated:<remediationKey>`.
    /// - Parameter notice: The attempt.
    public static func remediated(_ notice: RemediationNotice) -> DiscordNotification {
        let embed = remediationEmbed(notice, title: "✅ Remediated: \(notice.alertKey)", severity: .success)
        return DiscordNotification(dedupKey: "remediated:\(notice.remediationKey)", kind: .remediated, message: DiscordMessage(embed: embed))
    }

    /// "Remediation failed": the action ran and did not fix the alert. Red for critical alerts,
    /// orange otherwise. Dedup key: `failed:<remediationKey>`.
    /// - Parameter notice: The attempt.
    public static func failed(_ notice: RemediationNotice) -> DiscordNotification {
        let severity = NotificationSeverity.ofAlert(severityLabel: notice.severity)
        let embed = remediationEmbed(notice, title: "❌ Remediation failed: \(notice.alertKey)", severity: severity)
        return DiscordNotification(dedupKey: "failed:\(notice.remediationKey)", kind: .failed, message: DiscordMessage(embed: embed))
    }

    /// "Command rejected": the command policy refused a proposed action. Orange.
    /// Dedup key: `command-rejected:<key>`.
    /// - Parameter rejection: The refusal.
    public static func commandRejected(_ rejection: CommandRejection) -> DiscordNotification {
        var fields = [
            DiscordEmbed.Field("Action", rejection.action, inline: true), DiscordEmbed.Field("Proposed by", rejection.proposer, inline: true),
        ]
        if let host = rejection.host { fields.append(DiscordEmbed.Field("Host", host, inline: true)) }
        fields.append(DiscordEmbed.Field("Occurrence", rejection.occurrence))
        let embed = DiscordEmbed(
            title: "🛑 Command rejected: \(rejection.alertKey)", description: rejection.reason, severity: .warning, fields: fields,
            footer: "nothing was run", timestamp: rejection.at)
        return DiscordNotification(
            dedupKey: "command-rejected:\(rejection.key)", kind: .commandRejected, message: DiscordMessage(embed: embed))
    }

    private static func remediationEmbed(_ notice: RemediationNotice, title: String, severity: NotificationSeverity) -> DiscordEmbed {
        var fields = [DiscordEmbed.Field("Action", notice.action, inline: true)]
        if let host = notice.host { fields.append(DiscordEmbed.Field("Host", host, inline: true)) }
        if let tier = notice.tier { fields.append(DiscordEmbed.Field("Tier", tierName(tier), inline: true)) }
        if let detail = notice.detail { fields.append(DiscordEmbed.Field("Result", detail)) }
        if !notice.commands.isEmpty { fields.append(DiscordEmbed.Field("Commands", codeBlock(notice.commands.joined(separator: "\n")))) }
        if let output = notice.output, !output.isEmpty { fields.append(DiscordEmbed.Field("Output", codeBlock(output))) }
        return DiscordEmbed(
            title: title, description: notice.summary, severity: severity, fields: fields, footer: notice.occurrence, timestamp: notice.at)
    }

    static func tierName(_ tier: Int) -> String {
        switch tier {
        case 1: "1 (learned pattern)"
        case 2: "2 (pattern hint + LLM)"
        case 3: "3 (LLM diagnosis)"
        default: "\(tier)"
        }
    }

    /// Text inside a ``` block, cut to fit a field value with its fences, and with any ``` inside
    /// broken up so that it cannot close the block early.
    static func codeBlock(_ text: String) -> String {
        let safe = text.replacingAll("```", with: "`\u{200B}``")
        return "```\n" + DiscordLimits.truncate(safe, to: DiscordLimits.fieldValue - 8) + "\n```"
    }
}

extension String {
    /// Every occurrence of `target` replaced by `replacement` (no Foundation in the core).
    func replacingAll(_ target: String, with replacement: String) -> String {
        guard !target.isEmpty, contains(target) else { return self }
        var out = ""
        var rest = self[...]
        while let range = rest.firstRange(of: target) {
            out += rest[..<range.lowerBound]
            out += replacement
            rest = rest[range.upperBound...]
        }
        return out + rest
    }
}
