import Foundation
import JarvisCore
import Testing

@Suite struct LLMSupportTests {
    @Test func jsonValueParsesEveryKindAndKeepsBooleansApartFromNumbers() throws {
        let value = try JSONValue(parsing: #"{"b":true,"n":1,"f":1.5,"s":"x\"y","a":[null,false,0],"o":{}}"#)
        #expect(value["b"] == .bool(true))
        #expect(value["n"] == .number(1))
        #expect(value["n"]?.intValue == 1)
        #expect(value["f"]?.intValue == nil)
        #expect(value["s"] == .string("x\"y"))
        #expect(value["a"] == .array([.null, .bool(false), .number(0)]))
        #expect(value["o"] == .object([:]))
    }

    @Test func jsonTextIsCompactWithSortedKeysAndRoundTrips() throws {
        let value: JSONValue = ["z": 1, "a": ["s": "line\nbreak", "t": true, "n": nil], "m": [1.25, -3]]
        #expect(value.jsonText == #"{"a":{"n":null,"s":"line\nbreak","t":true},"m":[1.25,-3],"z":1}"#)
        #expect(try JSONValue(parsing: value.jsonText) == value)
    }

    @Test(arguments: [#"{"a":1"#, #"{"a":}"#, "", "tru", #"{"a":1} x"#])
    func truncatedOrInvalidJSONDoesNotParse(_ text: String) {
        #expect(throws: (any Error).self) { try JSONValue(parsing: text) }
    }

    @Test func priceTableMatchesExactThenLongestPrefixThenZero() {
        let table = LLMPriceTable.defaults
        #expect(table.price(for: "claude-sonnet-4-5-20250929") == LLMPrice(inputUSDPerMillion: 3, outputUSDPerMillion: 15))
        #expect(table.price(for: "claude-opus-4-5-20251101") == LLMPrice(inputUSDPerMillion: 5, outputUSDPerMillion: 25))
        #expect(table.price(for: "claude-opus-4-1-20250805") == LLMPrice(inputUSDPerMillion: 15, outputUSDPerMillion: 75))
        #expect(table.price(for: "gpt-4o-mini") == LLMPrice(inputUSDPerMillion: 0.15, outputUSDPerMillion: 0.6))
        #expect(table.price(for: "qwen2.5:7b") == .zero)
    }

    @Test func usageCarriesTheCostEstimate() {
        let table = LLMPriceTable(["local": LLMPrice(inputUSDPerMillion: 2, outputUSDPerMillion: 10)])
        let usage = table.usage(model: "local", inputTokens: 1_000_000, outputTokens: 500_000)
        #expect(usage == LLMUsage(inputTokens: 1_000_000, outputTokens: 500_000, estimatedCostUSD: 7))
        #expect(usage.totalTokens == 1_500_000)
        #expect(table.usage(model: "other", inputTokens: 10, outputTokens: 10).estimatedCostUSD == 0)
    }
}
