/// One Discord embed: the visible part of every jarvis message.
///
/// Build it freely, then call `fitted()`: it truncates every part to Discord's limits
/// (`DiscordLimits`) so that Discord never rejects a message for its size. `DiscordMessage`
/// always sends the fitted embed.
public struct DiscordEmbed: Sendable, Equatable {
    /// One name/value pair shown under the description.
    public struct Field: Sendable, Equatable {
        /// Bold heading; Discord rejects an empty one, so empty names are sent as `—`.
        public var name: String
        /// The text; empty values are sent as `—`.
        public var value: String
        /// Whether Discord may put it beside its neighbours.
        public var inline: Bool

        /// Creates a field.
        /// - Parameters:
        ///   - name: The heading.
        ///   - value: The text.
        ///   - inline: Side by side with neighbours [false].
        public init(_ name: String, _ value: String, inline: Bool = false) {
            self.name = name
            self.value = value
            self.inline = inline
        }
    }

    /// The heading.
    public var title: String
    /// The body text (Discord markdown).
    public var description: String?
    /// The colour bar, from the severity.
    public var severity: NotificationSeverity
    /// Name/value pairs.
    public var fields: [Field] = []
    /// Small text at the bottom.
    public var footer: String?
    /// Small text above the title.
    public var author: String?
    /// Shown beside the footer in the reader's time zone.
    public var timestamp: Timestamp?

    /// What Discord counts against `DiscordLimits.total`: title, description, field names
    /// and values, footer and author, in code points.
    public var characterCount: Int {
        let parts = [title, description ?? "", footer ?? "", author ?? ""] + fields.flatMap { [$0.name, $0.value] }
        return parts.reduce(0) { $0 + DiscordLimits.length($1) }
    }

    /// The embed cut down to Discord's limits, losing as little as possible.
    ///
    /// 1. Each part is truncated to its own limit; empty field names and values become `—`.
    /// 2. Past 25 fields, the first 24 are kept and the 25th says how many were left out.
    /// 3. While the total is over 6000: the description shrinks (to no less than 1024), then
    ///    field values from the last one (to no less than 64 each), then fields are dropped from
    ///    the end, then the footer and at last the description give up what is still needed.
    ///    Title and author (512 at most) always fit.
    public func fitted() -> DiscordEmbed {
        typealias L = DiscordLimits
        var embed = self
        embed.title = L.truncate(title, to: L.title)
        embed.description = description.map { L.truncate($0, to: L.description) }.flatMap { $0.isEmpty ? nil : $0 }
        embed.footer = footer.map { L.truncate($0, to: L.footer) }.flatMap { $0.isEmpty ? nil : $0 }
        embed.author = author.map { L.truncate($0, to: L.author) }.flatMap { $0.isEmpty ? nil : $0 }
        embed.fields = fields.map { field in
            Field(
                field.name.isEmpty ? "—" : L.truncate(field.name, to: L.fieldName),
                field.value.isEmpty ? "—" : L.truncate(field.value, to: L.fieldValue), inline: field.inline)
        }
        if embed.fields.count > L.fields {
            let hidden = embed.fields.count - (L.fields - 1)
            embed.fields = Array(embed.fields.prefix(L.fields - 1)) + [Field("…", "\(hidden) more not shown")]
        }

        var excess = embed.characterCount - L.total
        func shrink(_ text: String, floor: Int) -> String {
            let length = L.length(text)
            guard excess > 0, length > floor else { return text }
            let cut = L.truncate(text, to: max(floor, length - excess))
            excess -= length - L.length(cut)
            return cut
        }
        if let description = embed.description { embed.description = shrink(description, floor: 1024) }
        for index in embed.fields.indices.reversed() where excess > 0 {
            embed.fields[index].value = shrink(embed.fields[index].value, floor: 64)
        }
        while excess > 0, let last = embed.fields.popLast() {
            excess -= L.length(last.name) + L.length(last.value)
        }
        if let footer = embed.footer {
            let cut = shrink(footer, floor: 0)
            embed.footer = cut.isEmpty ? nil : cut
        }
        if let description = embed.description {
            let cut = shrink(description, floor: 0)
            embed.description = cut.isEmpty ? nil : cut
        }
        return embed
    }

    /// The embed as a JSON object, exactly as given (call `fitted()` first).
    public var json: String {
        var writer = JSONWriter()
        if !title.isEmpty { writer.field("title", title) }
        if let description { writer.field("description", description) }
        writer.field("color", Int64(severity.color))
        if !fields.isEmpty {
            let items = fields.map { field -> String in
                var item = JSONWriter()
                item.field("name", field.name)
                item.field("value", field.value)
                item.field("inline", field.inline)
                return item.finish()
            }
            writer.field("fields", rawJSON: "[" + items.joined(separator: ",") + "]")
        }
        if let footer {
            var object = JSONWriter()
            object.field("text", footer)
            writer.field("footer", rawJSON: object.finish())
        }
        if let author {
            var object = JSONWriter()
            object.field("name", author)
            writer.field("author", rawJSON: object.finish())
        }
        // Whole seconds: Discord's ISO 8601 parser wants at most microseconds.
        if let timestamp { writer.field("timestamp", Timestamp(seconds: timestamp.seconds).rfc3339) }
        return writer.finish()
    }
}
