extension DiscordNotification {
    /// "Host key refused": critical, with the offered key's fingerprint and the known_hosts
    /// line it conflicts with. Dedup key: `host-key-refused:<host>@<fingerprint>:<stamp>`, so
    /// the same refusal is announced once, and again only after known_hosts changed.
    ///
    /// - Parameter refusal: The refusal.
    public static func hostKeyRefused(_ refusal: HostKeyRefusal) -> DiscordNotification {
        var fields = [
            DiscordEmbed.Field("Offered key", refusal.fingerprint, inline: true),
            DiscordEmbed.Field("Problem", refusal.kind == .changed ? "the key changed" : "unknown key", inline: true),
            DiscordEmbed.Field("known_hosts line", refusal.knownHostsLine.map { "`\($0)`" } ?? "none for this host"),
        ]
        if let file = refusal.knownHostsFile { fields.append(DiscordEmbed.Field("known_hosts file", file)) }
        let embed = DiscordEmbed(
            title: "🛑 Host key refused: \(refusal.host)",
            description: "\(refusal.host) offered an SSH host key its known_hosts file does not vouch for: possibly a man-in-the-middle."
                + " jarvis will not connect to it until the known_hosts file changes. Check the host, then review"
                + " `jarvis hosts scan \(refusal.host)` before trusting a new key.",
            severity: .critical, fields: fields)
        return DiscordNotification(
            dedupKey: "host-key-refused:\(refusal.host)@\(refusal.fingerprint):\(refusal.knownHostsStamp)", kind: .hostKeyRefused,
            message: DiscordMessage(embed: embed))
    }
}
