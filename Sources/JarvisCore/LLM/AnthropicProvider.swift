/// The Anthropic Messages API: `POST {baseURL}/v1/messages` with `x-api-key` and
/// `anthropic-version: 2023-06-01`.
///
/// Requests carry `model`, `max_tokens`, `system`, `messages` and, when tools are offered,
/// `tools` (`name`, `description`, `input_schema`) and `tool_choice`. Tool calls come back as
/// `tool_use` content blocks and their results go out as `tool_result` blocks in a user message.
/// Errors are `{"type":"error","error":{"type","message"}}`: 429 `rate_limit_error` with a
/// `retry-after` header, 529 `overloaded_error`, 500 `api_error`, 401 `authentication_error`, …
public struct AnthropicProvider: LLMProvider {
    /// The API version this dialect speaks.
    public static let apiVersion = "2023-06-01"

    public var model: String
    /// Scheme and host, without `/v1`: `https://api.anthropic.com` (a test's stand-in elsewhere).
    public var baseURL: String
    public var apiKey: Secret<String>
    /// Output tokens per reply (`max_tokens`, required by the API).
    public var maxTokens: Int
    public var prices: LLMPriceTable

    /// - Parameters:
    ///   - model: e.g. `claude-sonnet-4-5`.
    ///   - baseURL: Where the API is; the default is Anthropic's.
    ///   - apiKey: Sent as `x-api-key`.
    ///   - maxTokens: `max_tokens` of every request.
    ///   - prices: Prices for the cost estimate.
    public init(
        model: String, baseURL: String = "https://api.anthropic.com", apiKey: Secret<String>, maxTokens: Int = 2048,
        prices: LLMPriceTable = .defaults
    ) {
        self.model = model
        self.baseURL = baseURL
        self.apiKey = apiKey
        self.maxTokens = maxTokens
        self.prices = prices
    }

    public func request(for conversation: LLMConversation, timeout: Double) -> HTTPRequest {
        var body: [String: JSONValue] = [
            "model": .string(model),
            "max_tokens": .number(Double(maxTokens)),
            "system": .string(conversation.system),
            "messages": .array(conversation.turns.map(Self.message)),
        ]
        if !conversation.tools.isEmpty {
            body["tools"] = .array(
                conversation.tools.map {
                    ["name": .string($0.name), "description": .string($0.description), "input_schema": $0.inputSchema]
                })
            body["tool_choice"] =
                switch conversation.toolChoice {
                case .auto: ["type": "auto"]
                case .any: ["type": "any"]
                case .tool(let name): ["type": "tool", "name": .string(name)]
                }
        }
        let headers = [HTTPHeader("x-api-key", apiKey.value), HTTPHeader("anthropic-version", Self.apiVersion)]
        return Self.post(body, to: baseURL, "/v1/messages", headers: headers, timeout: timeout)
    }

    private static func message(_ turn: LLMTurn) -> JSONValue {
        switch turn {
        case .user(let text):
            return ["role": "user", "content": [["type": "text", "text": .string(text)]]]
        case .assistant(let text, let toolCalls):
            // The API rejects empty text blocks.
            var blocks: [JSONValue] = text.isEmpty ? [] : [["type": "text", "text": .string(text)]]
            blocks += toolCalls.map { ["type": "tool_use", "id": .string($0.id), "name": .string($0.name), "input": .object($0.input)] }
            return ["role": "assistant", "content": .array(blocks)]
        case .toolResults(let results):
            return [
                "role": "user",
                "content": .array(
                    results.map {
                        var block: [String: JSONValue] = [
                            "type": "tool_result", "tool_use_id": .string($0.toolCallID), "content": .string($0.content),
                        ]
                        if $0.isError { block["is_error"] = true }
                        return .object(block)
                    }),
            ]
        }
    }

    public func parse(_ response: HTTPResponse) -> Result<LLMReply, LLMError> {
        Result { () throws(LLMError) in try reply(response) }
    }

    private func reply(_ response: HTTPResponse) throws(LLMError) -> LLMReply {
        guard (200..<300).contains(response.status) else { throw Self.error(response) }
        let root = try JSONPath.root(response.body)
        let type = try root["type"].string()
        guard type == "message" else { throw root.fail("type is \"\(type.prefix(40))\", not \"message\"") }
        var texts: [String] = []
        var calls: [LLMToolCall] = []
        for block in try root["content"].array() {
            switch try block["type"].string() {
            case "text":
                texts.append(try block["text"].string())
            case "tool_use":
                calls.append(
                    LLMToolCall(id: try block["id"].string(), name: try block["name"].string(), input: try block["input"].object()))
            default:
                continue  // thinking and other block kinds carry nothing jarvis uses
            }
        }
        let stop: LLMStopReason =
            switch try root.optional("stop_reason")?.string() {
            case "end_turn", "stop_sequence": .endTurn
            case "tool_use": .toolUse
            case "max_tokens": .maxTokens
            case let other: .other(other ?? "none")
            }
        let usage = try root["usage"]
        return LLMReply(
            text: texts.joined(separator: "\n"), toolCalls: calls, stopReason: stop,
            usage: prices.usage(model: model, inputTokens: try usage["input_tokens"].count(), outputTokens: try usage["output_tokens"].count()))
    }
}
