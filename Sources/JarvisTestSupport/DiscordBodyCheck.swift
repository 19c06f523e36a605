import Foundation
import JarvisCore

/// Reads a Discord webhook body back with `JSONSerialization` (a parser jarvis does not use
/// to write it) and lists every way it breaks Discord's rules.
public enum DiscordBodyCheck {
    /// The parsed body, or nil when it is not a JSON object.
    /// - Parameter body: The JSON text.
    public static func object(_ body: String) -> [String: Any]? {
        (try? JSONSerialization.jsonObject(with: Data(body.utf8))) as? [String: Any]
    }

    /// The first embed of the body.
    /// - Parameter body: The JSON text.
    public static func embed(_ body: String) -> [String: Any]? {
        (object(body)?["embeds"] as? [[String: Any]])?.first
    }

    /// `allowed_mentions.parse` of the body.
    /// - Parameter body: The JSON text.
    public static func parse(_ body: String) -> [String]? {
        (object(body)?["allowed_mentions"] as? [String: Any])?["parse"] as? [String]
    }

    /// Every limit the body breaks (empty when Discord would accept it), counting code points
    /// as Discord does.
    /// - Parameter body: The JSON text.
    public static func violations(_ body: String) -> [String] {
        guard let root = object(body) else { return ["not a JSON object"] }
        guard let embeds = root["embeds"] as? [[String: Any]], embeds.count == 1, let embed = embeds.first else { return ["not exactly one embed"] }
        var problems: [String] = []
        func check(_ name: String, _ value: Any?, _ limit: Int, required: Bool = false) -> Int {
            guard let value else {
                if required { problems.append("\(name) missing") }
                return 0
            }
            guard let text = value as? String else {
                problems.append("\(name) is not text")
                return 0
            }
            let length = text.unicodeScalars.count
            if length > limit { problems.append("\(name) has \(length) > \(limit)") }
            if length == 0 { problems.append("\(name) is empty") }
            return length
        }
        var total = check("title", embed["title"], DiscordLimits.title)
        total += check("description", embed["description"], DiscordLimits.description)
        total += check("footer.text", (embed["footer"] as? [String: Any])?["text"], DiscordLimits.footer, required: embed["footer"] != nil)
        total += check("author.name", (embed["author"] as? [String: Any])?["name"], DiscordLimits.author, required: embed["author"] != nil)
        let fields = embed["fields"] as? [[String: Any]] ?? []
        if fields.count > DiscordLimits.fields { problems.append("\(fields.count) fields > \(DiscordLimits.fields)") }
        for (index, field) in fields.enumerated() {
            total += check("fields[\(index)].name", field["name"], DiscordLimits.fieldName, required: true)
            total += check("fields[\(index)].value", field["value"], DiscordLimits.fieldValue, required: true)
        }
        if total > DiscordLimits.total { problems.append("total \(total) > \(DiscordLimits.total)") }
        if embed["color"] as? Int == nil { problems.append("color missing") }
        if let content = root["content"] as? String, content.unicodeScalars.count > DiscordLimits.content { problems.append("content too long") }
        if let username = root["username"] as? String, username.unicodeScalars.count > DiscordLimits.username { problems.append("username too long") }
        if parse(body) == nil { problems.append("allowed_mentions.parse missing") }
        return problems
    }
}
