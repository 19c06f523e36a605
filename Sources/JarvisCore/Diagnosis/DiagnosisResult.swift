/// How a diagnosis ended. Either way the trace says what it cost and which diagnostics ran.
public enum DiagnosisResult: Sendable, Equatable {
    /// The model called `propose_plan` with a plan that decodes. Nothing in it is trusted yet:
    /// the command policy checks every action against the catalog.
    case plan(DiagnosisPlan, DiagnosisTrace)
    case failed(DiagnosisFailure, DiagnosisTrace)

    public var trace: DiagnosisTrace {
        switch self {
        case .plan(_, let trace), .failed(_, let trace): trace
        }
    }
}

/// The model's plan, decoded from the `propose_plan` call.
public struct DiagnosisPlan: Sendable, Equatable {
    /// Proposed actions, in order; empty when the model thinks nothing should be done.
    public var actions: [ActionProposal]
    /// The model's diagnosis in a few sentences (shown to people, never executed).
    public var summary: String
    /// The model's own risk estimate; the catalog's risk levels decide, not this.
    public var risk: PlanRisk
}

/// The model's risk estimate of its plan.
public enum PlanRisk: String, Sendable, Equatable, Codable, CaseIterable {
    case low, medium, high
}

/// What a diagnosis cost and did.
public struct DiagnosisTrace: Sendable, Equatable {
    /// Usage of each LLM call that got a reply, in order.
    public var usage: [LLMUsage] = []
    /// Diagnostic tool calls the model made, in order (refused and unknown ones included).
    public var toolCalls: [DiagnosisToolCall] = []
    /// HTTP requests sent, retries included.
    public var requests = 0

    /// Input plus output tokens over all calls.
    public var totalTokens: Int { usage.reduce(0) { $0 + $1.totalTokens } }
    /// The summed cost estimate, USD.
    public var estimatedCostUSD: Double { usage.reduce(0) { $0 + $1.estimatedCostUSD } }
}

/// One diagnostic tool call of the model.
public struct DiagnosisToolCall: Sendable, Equatable {
    /// The catalog name (or, for an unknown tool, the name the model used).
    public var tool: String
    public var parameters: [String: String]
    /// What the model was told, after truncation.
    public var result: String
    public var isError: Bool
}

/// Why a diagnosis produced no plan.
public enum DiagnosisFailure: Error, Sendable, Equatable, CustomStringConvertible {
    /// The provider's response or the `propose_plan` input did not decode.
    case malformedOutput(String)
    /// The model stopped without calling `propose_plan`.
    case endedWithoutPlan(LLMStopReason)
    /// The model kept calling diagnostics after `maxToolCalls`, when only `propose_plan` was allowed.
    case toolCallBudgetExceeded(limit: Int)
    /// The wall-time bound passed.
    case wallTimeExceeded(limit: Double)
    /// The token budget was spent before a plan came.
    case tokenBudgetExceeded(spent: Int, budget: Int)
    /// The model called a tool it was not offered a second time (the first got an error result).
    case unknownTool(String)
    /// The provider refused (4xx) or kept failing (429, 529, 5xx) through the retries or the time left.
    case providerFailed(LLMError, attempts: Int)
    /// No response at all, through the retries or the time left.
    case unreachable(HTTPTransportError, attempts: Int)

    public var description: String {
        switch self {
        case .malformedOutput(let why): "malformed LLM output: \(why)"
        case .endedWithoutPlan(let stop): "the model stopped (\(stop)) without proposing a plan"
        case .toolCallBudgetExceeded(let limit): "more than \(limit) diagnostic tool calls"
        case .wallTimeExceeded(let limit): "no plan within \(limit) s"
        case .tokenBudgetExceeded(let spent, let budget): "token budget spent (\(spent) of \(budget))"
        case .unknownTool(let name): "the model called an unknown tool twice (\(name.prefix(64)))"
        case .providerFailed(let error, let attempts): "\(error) after \(attempts) attempt(s)"
        case .unreachable(let error, let attempts): "LLM provider \(error) after \(attempts) attempt(s)"
        }
    }
}
