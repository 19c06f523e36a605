/// An OpenAI-compatible chat completions endpoint (OpenAI itself, or a local model behind
/// llama.cpp, vLLM, Ollama…): `POST {baseURL}/chat/completions`, `Authorization: Bearer` when a
/// key is set.
///
/// Requests carry `model`, `messages` (a `system` message first), `tools`
/// (`{"type":"function","function":{name, description, parameters}}`), `tool_choice` and, when
/// set, `max_tokens`. The reply is `choices[0].message` with `content` and `tool_calls`, whose
/// `function.arguments` is a JSON *string* that must hold an object. Tool results go out as
/// `{"role":"tool","tool_call_id","content"}` messages.
///
/// Local servers vary, so parsing is lenient where that is harmless: `usage` may be missing
/// (zero tokens), `arguments` may already be an object or the empty string (no arguments), and
/// a missing tool-call `id` is replaced by `call_<index>`.
public struct OpenAICompatibleProvider: LLMProvider {
    public var model: String
    /// The API root including its version segment: `https://api.openai.com/v1`,
    /// `http://127.0.0.1:11434/v1`.
    public var baseURL: String
    /// Sent as `Authorization: Bearer …`; nil sends no authorization (a local model).
    public var apiKey: Secret<String>?
    /// `max_tokens` of every request; nil leaves it to the server.
    public var maxTokens: Int?
    public var prices: LLMPriceTable

    /// - Parameters:
    ///   - model: The model name the server knows.
    ///   - baseURL: The API root including `/v1`.
    ///   - apiKey: Bearer token, or nil.
    ///   - maxTokens: `max_tokens`, or nil.
    ///   - prices: Prices for the cost estimate (local models are free: not in the table).
    public init(model: String, baseURL: String, apiKey: Secret<String>? = nil, maxTokens: Int? = nil, prices: LLMPriceTable = .defaults) {
        self.model = model
        self.baseURL = baseURL
        self.apiKey = apiKey
        self.maxTokens = maxTokens
        self.prices = prices
    }

    public func request(for conversation: LLMConversation, timeout: Double) -> HTTPRequest {
        var messages: [JSONValue] = [["role": "system", "content": .string(conversation.system)]]
        for turn in conversation.turns {
            switch turn {
            case .user(let text):
                messages.append(["role": "user", "content": .string(text)])
            case .assistant(let text, let toolCalls):
                var message: [String: JSONValue] = ["role": "assistant", "content": text.isEmpty ? .null : .string(text)]
                if !toolCalls.isEmpty {
                    message["tool_calls"] = .array(
                        toolCalls.map {
                            [
                                "id": .string($0.id), "type": "function",
                                "function": ["name": .string($0.name), "arguments": .string(JSONValue.object($0.input).jsonText)],
                            ]
                        })
                }
                messages.append(.object(message))
            case .toolResults(let results):
                for result in results {
                    messages.append([
                        "role": "tool", "tool_call_id": .string(result.toolCallID),
                        "content": .string(result.isError ? "ERROR: " + result.content : result.content),
                    ])
                }
            }
        }
        var body: [String: JSONValue] = ["model": .string(model), "messages": .array(messages)]
        if let maxTokens { body["max_tokens"] = .number(Double(maxTokens)) }
        if !conversation.tools.isEmpty {
            body["tools"] = .array(
                conversation.tools.map {
                    [
                        "type": "function",
                        "function": ["name": .string($0.name), "description": .string($0.description), "parameters": $0.inputSchema],
                    ]
                })
            body["tool_choice"] =
                switch conversation.toolChoice {
                case .auto: "auto"
                case .any: "required"
                case .tool(let name): ["type": "function", "function": ["name": .string(name)]]
                }
        }
        let headers = apiKey.map { [HTTPHeader("authorization", "Bearer \($0.value)")] } ?? []
        return Self.post(body, to: baseURL, "/chat/completions", headers: headers, timeout: timeout)
    }

    public func parse(_ response: HTTPResponse) -> Result<LLMReply, LLMError> {
        Result { () throws(LLMError) in try reply(response) }
    }

    private func reply(_ response: HTTPResponse) throws(LLMError) -> LLMReply {
        guard (200..<300).contains(response.status) else { throw Self.error(response) }
        let root = try JSONPath.root(response.body)
        guard let choice = try root["choices"].array().first else { throw root.fail("choices is empty") }
        let message = try choice["message"]
        let text = try message.optional("content")?.string() ?? ""
        var calls: [LLMToolCall] = []
        for (index, call) in (try message.optional("tool_calls")?.array() ?? []).enumerated() {
            let function = try call["function"]
            let id = try call.optional("id")?.string() ?? "call_\(index)"
            calls.append(LLMToolCall(id: id, name: try function["name"].string(), input: try Self.arguments(function["arguments"])))
        }
        let stop: LLMStopReason =
            switch try choice.optional("finish_reason")?.string() {
            case "stop": .endTurn
            case "tool_calls", "function_call": .toolUse
            case "length": .maxTokens
            case let other: .other(other ?? "none")
            }
        var input = 0
        var output = 0
        if let usage = try root.optional("usage") {
            input = try usage.optional("prompt_tokens")?.count() ?? 0
            output = try usage.optional("completion_tokens")?.count() ?? 0
        }
        return LLMReply(text: text, toolCalls: calls, stopReason: stop, usage: prices.usage(model: model, inputTokens: input, outputTokens: output))
    }

    /// `function.arguments`: a JSON string holding an object (or "", no arguments), or an object.
    private static func arguments(_ field: JSONPath) throws(LLMError) -> [String: JSONValue] {
        switch field.value {
        case .object(let members):
            return members
        case .string(let text):
            if text.allSatisfy(\.isWhitespace) { return [:] }
            guard let parsed = try? JSONValue(parsing: text) else { throw field.fail("not valid JSON") }
            guard case .object(let members) = parsed else { throw field.fail("expected a JSON object, got \(parsed.kind)") }
            return members
        default:
            throw field.fail("expected a JSON string, got \(field.value.kind)")
        }
    }
}
