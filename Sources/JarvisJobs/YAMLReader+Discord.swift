import Foundation
import JarvisCore

extension YAMLReader {
    /// Reads the `discord:` section. Problems name the key, never the webhook URL or proxy
    /// (both may hold credentials).
    ///
    /// - Parameters:
    ///   - map: The section's mapping.
    ///   - settings: Updated with every valid value.
    mutating func readDiscord(_ map: [String: Any], into settings: inout DiscordSettings) {
        for (key, value) in map {
            let path = "discord.\(key)"
            switch key {
            case "webhook_url":
                guard let url = secretString(value, path) else { continue }
                settings.webhookURL = url.isEmpty ? nil : Secret(url)
            case "username":
                guard let name = string(value, path) else { continue }
                if let problem = DiscordSettings.problem(withUsername: name) {
                    problems.append(ConfigurationProblem(path, problem))
                } else {
                    settings.username = name
                }
            case "timeout": if let v = seconds(value, path, in: 0.1...120) { settings.timeout = v }
            case "retry_later": if let v = seconds(value, path, in: 0...3600) { settings.retryPolicy.deferralBase = v }
            case "proxy":
                guard let proxy = secretString(value, path) else { continue }
                settings.proxy = proxy.isEmpty ? nil : Secret(proxy)
            default: unknown(path)
            }
        }
    }

    /// Text for a secret setting; a wrong type is reported without showing the value.
    private mutating func secretString(_ value: Any, _ path: String) -> String? {
        if let text = value as? String { return text.trimmingCharacters(in: .whitespacesAndNewlines) }
        if value is NSNull { return "" }
        problems.append(ConfigurationProblem(path, "expected text (value not shown: it may be a secret)"))
        return nil
    }
}
