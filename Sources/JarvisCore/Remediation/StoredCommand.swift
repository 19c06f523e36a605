import Foundation

/// One command of a remediation attempt as `remediation_log.commands` stores it: what ran
/// (`argv`) and what it was resolved from (`action`, `parameters`), so that `jarvis approve`
/// can check it against the policy again.
public struct StoredCommand: Sendable, Equatable, Codable {
    public var action: String
    public var parameters: [String: String]
    public var argv: [String]

    public init(action: String, parameters: [String: String], argv: [String]) {
        self.action = action
        self.parameters = parameters
        self.argv = argv
    }

    public init(_ command: ResolvedCommand) {
        self.init(action: command.action, parameters: command.parameters, argv: command.argv)
    }

    /// `[{"action": …, "argv": […], "parameters": {…}}]`, keys sorted.
    public static func json(_ commands: [StoredCommand]) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return (try? String(decoding: encoder.encode(commands), as: UTF8.self)) ?? "[]"
    }

    /// The commands stored as `json`; none when the text is not such a list.
    public static func decode(_ json: String) -> [StoredCommand] {
        (try? JSONDecoder().decode([StoredCommand].self, from: Data(json.utf8))) ?? []
    }
}
