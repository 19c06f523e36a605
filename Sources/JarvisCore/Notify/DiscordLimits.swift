/// Discord's limits on a webhook message with one embed ("Embed Limits" in Discord's message
/// resource documentation), and the truncation that keeps text within them.
///
/// Discord counts Unicode code points: its API is Python 3 and measures `len(str)`
/// (discord-api-docs issue #1315, answered by Discord staff), so `é` written as one scalar
/// counts 1, `e` plus a combining accent counts 2, and an emoji counts 1 (UTF-16 would count 2).
/// `length(_:)` counts `unicodeScalars`; `truncate(_:to:)` cuts between whole `Character`s so
/// that no grapheme is split, and ends the text with `…` (one code point).
public enum DiscordLimits {
    /// Embed title.
    public static let title = 256
    /// Embed description.
    public static let description = 4096
    /// A field's name.
    public static let fieldName = 256
    /// A field's value.
    public static let fieldValue = 1024
    /// Fields per embed.
    public static let fields = 25
    /// Footer text.
    public static let footer = 2048
    /// Author name.
    public static let author = 256
    /// Title, description, field names and values, footer and author together, across all
    /// embeds of a message.
    public static let total = 6000
    /// Message `content`.
    public static let content = 2000
    /// The webhook `username` override.
    public static let username = 80

    /// The ellipsis that ends truncated text.
    public static let ellipsis = "…"

    /// The length Discord sees: Unicode code points.
    /// - Parameter text: Any text.
    public static func length(_ text: String) -> Int { text.unicodeScalars.count }

    /// `text` if it fits in `limit` code points; otherwise its longest prefix of whole
    /// characters (trailing whitespace dropped) that fits with `…` appended. A limit of 0 or
    /// less gives the empty string.
    /// - Parameters:
    ///   - text: The text to fit.
    ///   - limit: The most code points allowed.
    public static func truncate(_ text: String, to limit: Int) -> String {
        guard limit > 0 else { return "" }
        guard length(text) > limit else { return text }
        let room = limit - length(ellipsis)
        var end = text.startIndex
        var used = 0
        while end < text.endIndex {
            let size = text[end].unicodeScalars.count
            if used + size > room { break }
            used += size
            end = text.index(after: end)
        }
        var kept = text[..<end]
        while let last = kept.last, last.isWhitespace { kept = kept.dropLast() }
        return String(kept) + ellipsis
    }
}
