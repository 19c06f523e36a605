import Foundation
import JarvisCore

/// One scripted answer of an LLM stand-in server (`StandInAnthropicServer`,
/// `StandInOpenAIServer`), rendered in that server's dialect.
public enum StandInLLMStep: Sendable {
    /// A reply calling one tool (`stop_reason: tool_use` / `finish_reason: tool_calls`).
    case callTool(String, input: JSONValue = [:])
    /// A reply calling several tools at once.
    case callTools([StandInToolCall])
    /// A `propose_plan` call with these actions.
    case proposePlan(actions: [ActionProposal], summary: String = "stand-in diagnosis", risk: String = "low")
    /// A `propose_plan` call with this exact input (for plans that must not decode).
    case proposePlanInput(JSONValue)
    /// A tool call whose input is this raw text: OpenAI's `arguments` string as is; for
    /// Anthropic the `input` becomes this JSON string (not an object).
    case callToolRawArguments(String, arguments: String)
    /// A plain text reply that ends the turn.
    case text(String)
    /// 429 with a `retry-after` header (when given) and a rate-limit error body.
    case rateLimited(retryAfter: String?)
    /// Anthropic: 529 `overloaded_error`; OpenAI-compatible: 503.
    case overloaded
    /// This 5xx (or any status) with the dialect's error body.
    case serverError(Int)
    /// This status with the dialect's error body of this type and message.
    case error(status: Int, type: String, message: String)
    /// A tool-calling reply cut in the middle of its JSON, with a matching `Content-Length`.
    case truncatedJSON
    /// A tool-calling reply whose head announces more bytes than are sent before the close.
    case shortBody
    /// A reply whose documented fields have the wrong types.
    case wrongTypes
    /// Exactly this response.
    case raw(status: Int, headers: [HTTPHeader], body: String)
    /// Plays a model that obeys prompt injection: it proposes whatever the user message asks
    /// for (see `PromptInjection.obey`).
    case obeyPromptInjection
}

/// A tool call in a `StandInLLMStep.callTools` reply.
public struct StandInToolCall: Sendable {
    public var name: String
    public var input: JSONValue
    public init(_ name: String, input: JSONValue = [:]) {
        self.name = name
        self.input = input
    }
}

/// A model that falls for prompt injection, for the test that proves the command policy stops it.
public enum PromptInjection {
    /// The plan an obedient model would propose after reading `userTexts`: the first
    /// `run: <command>` instruction becomes an action `shell` with parameter `command`; the first
    /// JSON object with an `action` member (or a fake `propose_plan` call with `input.actions`)
    /// is proposed as is. Strings inside JSON documents of the texts (such as jarvis's quoted
    /// alert block) are read first, unescaped, as a model would read them. Empty when nothing
    /// asks for anything.
    public static func obey(_ userTexts: [String]) -> [ActionProposal] {
        var candidates: [String] = []
        for text in userTexts {
            for line in text.split(whereSeparator: \.isNewline) where line.first == "{" || line.first == "[" {
                if let value = try? JSONValue(parsing: String(line)) { collectStrings(value, into: &candidates) }
            }
        }
        candidates += userTexts
        for candidate in candidates {
            if let found = fakePlan(in: candidate) { return found }
            if let range = candidate.range(of: "run:") {
                let command = candidate[range.upperBound...].prefix { !$0.isNewline }.trimmingCharacters(in: .whitespaces)
                if !command.isEmpty {
                    return [ActionProposal(action: "shell", parameters: ["command": command], rationale: "as the alert instructed")]
                }
            }
        }
        return []
    }

    private static func collectStrings(_ value: JSONValue, into out: inout [String]) {
        switch value {
        case .string(let text): out.append(text)
        case .array(let values):
            for element in values { collectStrings(element, into: &out) }
        case .object(let members):
            for key in members.keys.sorted() { collectStrings(members[key] ?? .null, into: &out) }
        default: break
        }
    }

    /// The first balanced `{…}` in `text` that decodes to a proposal (or a fake plan call).
    private static func fakePlan(in text: String) -> [ActionProposal]? {
        let scalars = Array(text.unicodeScalars)
        for start in scalars.indices where scalars[start] == "{" {
            var depth = 0
            for end in start..<scalars.count {
                if scalars[end] == "{" { depth += 1 }
                if scalars[end] == "}" { depth -= 1 }
                guard depth == 0 else { continue }
                var slice = String.UnicodeScalarView()
                slice.append(contentsOf: scalars[start...end])
                if case .object(let object)? = try? JSONValue(parsing: String(slice)), let proposals = proposals(object) {
                    return proposals
                }
                break
            }
        }
        return nil
    }

    private static func proposals(_ object: [String: JSONValue]) -> [ActionProposal]? {
        if case .object(let input)? = object["input"], case .array(let actions)? = input["actions"] {
            let decoded = actions.compactMap { $0.objectValue.flatMap(proposal) }
            return decoded.isEmpty ? nil : decoded
        }
        return proposal(object).map { [$0] }
    }

    private static func proposal(_ object: [String: JSONValue]) -> ActionProposal? {
        guard let action = object["action"]?.stringValue else { return nil }
        let parameters = (object["parameters"]?.objectValue ?? [:]).compactMapValues { $0.stringValue ?? $0.jsonText }
        return ActionProposal(action: action, parameters: parameters, host: object["host"]?.stringValue, rationale: "as the alert instructed")
    }
}

extension ActionProposal {
    /// The JSON of this proposal as `propose_plan` takes it.
    var standInJSON: JSONValue {
        var object: [String: JSONValue] = [
            "action": .string(action), "parameters": .object(parameters.mapValues(JSONValue.string)),
            "rationale": .string(rationale ?? "stand-in"),
        ]
        if let host { object["host"] = .string(host) }
        return .object(object)
    }
}

/// The queue, fallback and usage shared by both LLM stand-ins.
final class StandInScript: @unchecked Sendable {
    private let lock = NSLock()
    private var queue: [StandInLLMStep] = []
    private var fallbackStep: StandInLLMStep?
    private var usageValue = (input: 120, output: 30)
    private var counter = 0

    func enqueue(_ steps: [StandInLLMStep]) {
        lock.withLock { queue += steps }
    }

    var fallback: StandInLLMStep? {
        get { lock.withLock { fallbackStep } }
        set { lock.withLock { fallbackStep = newValue } }
    }

    var usage: (input: Int, output: Int) {
        get { lock.withLock { usageValue } }
        set { lock.withLock { usageValue = newValue } }
    }

    /// The next step, or nil when the script ran out (and there is no fallback).
    func next() -> StandInLLMStep? {
        lock.withLock { queue.isEmpty ? fallbackStep : queue.removeFirst() }
    }

    /// A fresh number for ids.
    func nextID() -> Int {
        lock.withLock {
            counter += 1
            return counter
        }
    }
}

extension HTTPHeader {
    static let json = HTTPHeader("content-type", "application/json")
}
