/// A provider-neutral conversation with an LLM: what `LLMProvider`s turn into a request.
///
/// The turns alternate as the providers expect: a user turn, then the model's reply (text and
/// tool calls), then the results of those tool calls, then the model again.
public struct LLMConversation: Sendable, Equatable {
    /// Instructions for the model (Anthropic's `system`, OpenAI's first `system` message).
    public var system: String
    public var turns: [LLMTurn] = []
    /// Tools the model may call; empty means none are offered.
    public var tools: [LLMToolDefinition] = []
    /// Whether the model must call a tool, and which.
    public var toolChoice: LLMToolChoice = .auto
}

/// One turn of an `LLMConversation`.
public enum LLMTurn: Sendable, Equatable {
    /// Text from jarvis (the user side).
    case user(String)
    /// The model's earlier reply, sent back so that it sees its own tool calls.
    case assistant(text: String, toolCalls: [LLMToolCall])
    /// The answers to the model's tool calls, one per call.
    case toolResults([LLMToolResult])
}

/// A tool the model may call.
public struct LLMToolDefinition: Sendable, Equatable {
    /// The name the model calls it by: `^[a-zA-Z0-9_-]{1,64}$` for both providers.
    public var name: String
    public var description: String
    /// JSON Schema of the tool's input, an object schema.
    public var inputSchema: JSONValue
}

/// Whether the model must call a tool.
public enum LLMToolChoice: Sendable, Equatable {
    /// The model decides (Anthropic `auto`, OpenAI `auto`).
    case auto
    /// The model must call one of the tools (Anthropic `any`, OpenAI `required`).
    case any
    /// The model must call this tool.
    case tool(String)
}

/// A tool call the model made.
public struct LLMToolCall: Sendable, Equatable {
    /// The provider's id for the call; its result must quote it.
    public var id: String
    public var name: String
    /// The call's input; providers guarantee an object (anything else is `LLMError.malformed`).
    public var input: [String: JSONValue]
}

/// The answer to one tool call.
public struct LLMToolResult: Sendable, Equatable {
    /// The `LLMToolCall.id` this answers.
    public var toolCallID: String
    public var content: String
    /// True when the call failed or was refused (Anthropic `is_error`; OpenAI has no such field,
    /// so the content is prefixed with `ERROR: `).
    public var isError = false
}
