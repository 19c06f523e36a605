/// Tokens one LLM call used and what they cost.
public struct LLMUsage: Sendable, Equatable, Hashable, Codable {
    public var inputTokens: Int
    public var outputTokens: Int
    /// From the `LLMPriceTable`; 0 for a model the table does not know (a local model).
    public var estimatedCostUSD: Double

    public init(inputTokens: Int, outputTokens: Int, estimatedCostUSD: Double = 0) {
        self.inputTokens = inputTokens
        self.outputTokens = outputTokens
        self.estimatedCostUSD = estimatedCostUSD
    }

    /// Input plus output tokens.
    public var totalTokens: Int { inputTokens + outputTokens }
}

/// What a model charges, in USD per million tokens.
public struct LLMPrice: Sendable, Equatable, Hashable, Codable {
    public var inputUSDPerMillion: Double
    public var outputUSDPerMillion: Double

    public init(inputUSDPerMillion: Double, outputUSDPerMillion: Double) {
        self.inputUSDPerMillion = inputUSDPerMillion
        self.outputUSDPerMillion = outputUSDPerMillion
    }

    /// Free: local models, and models the table does not know.
    public static let zero = LLMPrice(inputUSDPerMillion: 0, outputUSDPerMillion: 0)
}

/// Prices by model, for the cost estimate recorded with each call.
///
/// A model is looked up by its exact name, then by the longest key that is a prefix of it
/// (so `claude-sonnet-4-5` also prices `claude-sonnet-4-5-20250929`); unknown models cost 0.
public struct LLMPriceTable: Sendable, Equatable {
    public var prices: [String: LLMPrice]

    public init(_ prices: [String: LLMPrice]) { self.prices = prices }

    /// Anthropic's and OpenAI's list prices when this was written; configuration overrides them.
    /// A newer model caught by an older prefix (`claude-opus-4`) is priced high, not at 0.
    public static let defaults = LLMPriceTable([
        "claude-opus-4-5": LLMPrice(inputUSDPerMillion: 5, outputUSDPerMillion: 25),
        "claude-opus-4": LLMPrice(inputUSDPerMillion: 15, outputUSDPerMillion: 75),
        "claude-sonnet-4": LLMPrice(inputUSDPerMillion: 3, outputUSDPerMillion: 15),
        "claude-3-7-sonnet": LLMPrice(inputUSDPerMillion: 3, outputUSDPerMillion: 15),
        "claude-haiku-4-5": LLMPrice(inputUSDPerMillion: 1, outputUSDPerMillion: 5),
        "claude-3-5-haiku": LLMPrice(inputUSDPerMillion: 0.8, outputUSDPerMillion: 4),
        "gpt-4o": LLMPrice(inputUSDPerMillion: 2.5, outputUSDPerMillion: 10),
        "gpt-4o-mini": LLMPrice(inputUSDPerMillion: 0.15, outputUSDPerMillion: 0.6),
    ])

    /// The price of `model`: exact name, else longest prefix key, else `.zero`.
    public func price(for model: String) -> LLMPrice {
        if let exact = prices[model] { return exact }
        let best = prices.keys.filter { model.hasPrefix($0) }.max { $0.utf8.count < $1.utf8.count }
        return best.flatMap { prices[$0] } ?? .zero
    }

    /// The usage of one call of `model`, with its cost estimate.
    ///
    /// - Parameters:
    ///   - model: The model that answered.
    ///   - inputTokens: Tokens read, as the provider reported them.
    ///   - outputTokens: Tokens written, as the provider reported them.
    public func usage(model: String, inputTokens: Int, outputTokens: Int) -> LLMUsage {
        let price = price(for: model)
        let cost = (Double(inputTokens) * price.inputUSDPerMillion + Double(outputTokens) * price.outputUSDPerMillion) / 1_000_000
        return LLMUsage(inputTokens: inputTokens, outputTokens: outputTokens, estimatedCostUSD: cost)
    }
}
