/// One reply of the model, parsed from a provider's response.
public struct LLMReply: Sendable, Equatable {
    /// The reply's text blocks joined by newlines; empty when there were none.
    public var text: String
    public var toolCalls: [LLMToolCall]
    public var stopReason: LLMStopReason
    public var usage: LLMUsage
}

/// Why the model stopped.
public enum LLMStopReason: Sendable, Equatable, CustomStringConvertible {
    /// It finished (Anthropic `end_turn`/`stop_sequence`, OpenAI `stop`).
    case endTurn
    /// It wants tool results (Anthropic `tool_use`, OpenAI `tool_calls`/`function_call`).
    case toolUse
    /// It ran out of output tokens (Anthropic `max_tokens`, OpenAI `length`).
    case maxTokens
    /// Anything else, as the provider wrote it (`refusal`, `content_filter`, …).
    case other(String)

    public var description: String {
        switch self {
        case .endTurn: "end_turn"
        case .toolUse: "tool_use"
        case .maxTokens: "max_tokens"
        case .other(let reason): reason
        }
    }
}
