import Foundation
import Testing

@testable import JarvisCore

@Suite struct OpenAICompatibleProviderTests {
    let provider = OpenAICompatibleProvider(model: "gpt-4o", baseURL: "http://127.0.0.1:8080/v1/", apiKey: Secret("sk-openai-xyz"), maxTokens: 512)

    func response(_ status: Int, _ body: String, headers: [HTTPHeader] = []) -> HTTPResponse {
        HTTPResponse(status: status, headers: headers, body: Array(body.utf8))
    }

    func completion(
        message: String, finish: String = "tool_calls", usage: String = #","usage":{"prompt_tokens":100,"completion_tokens":10,"total_tokens":110}"#
    ) -> String {
        #"{"id":"chatcmpl-1","object":"chat.completion","choices":[{"index":0,"message":\#(message),"finish_reason":"\#(finish)"}]\#(usage)}"#
    }

    @Test func requestHasBearerSystemFirstToolCallsAsJSONStringsAndToolMessages() throws {
        let request = provider.request(for: AnthropicProviderTests.conversation, timeout: 9)
        #expect(request.url == "http://127.0.0.1:8080/v1/chat/completions")
        #expect(request.timeout == 9)
        let headers = Dictionary(request.headers.map { ($0.name.lowercased(), $0.value) }, uniquingKeysWith: { a, _ in a })
        #expect(headers["authorization"] == "Bearer sk-openai-xyz")
        #expect(headers["content-type"] == "application/json")
        #expect(headers["x-api-key"] == nil)

        let body = try JSONValue(parsing: request.body)
        #expect(body["model"] == "gpt-4o")
        #expect(body["max_tokens"] == 512)
        #expect(body["tool_choice"] == "required")
        #expect(
            body["tools"]
                == [
                    [
                        "type": "function",
                        "function": [
                            "name": "docker_logs", "description": "Container logs.",
                            "parameters": ["type": "object", "properties": ["container": ["type": "string"]], "required": ["container"]],
                        ],
                    ]
                ])
        let messages = try #require(body["messages"]?.arrayValue)
        #expect(messages.count == 6)
        #expect(messages[0] == ["role": "system", "content": "You are a test."])
        #expect(messages[1] == ["role": "user", "content": "Why is nginx down?"])
        #expect(messages[2]["content"] == "Checking.")
        let call = try #require(messages[2]["tool_calls"]?[0])
        #expect(call["id"] == "toolu_1")
        #expect(call["type"] == "function")
        #expect(call["function"]?["name"] == "docker_logs")
        let arguments = try #require(call["function"]?["arguments"]?.stringValue)
        #expect(try JSONValue(parsing: arguments) == ["container": "nginx"])
        #expect(messages[3] == ["role": "tool", "tool_call_id": "toolu_1", "content": "OOMKilled"])
        #expect(messages[4]["content"] == .null)
        #expect(messages[5] == ["role": "tool", "tool_call_id": "toolu_2", "content": "ERROR: unknown tool"])
    }

    @Test func noKeyNoAuthorizationAndToolChoiceMapping() throws {
        let local = OpenAICompatibleProvider(model: "qwen2.5", baseURL: "http://127.0.0.1:11434/v1")
        var conversation = AnthropicProviderTests.conversation
        conversation.toolChoice = .tool("propose_plan")
        let request = local.request(for: conversation, timeout: 1)
        #expect(!request.headers.contains { $0.name.lowercased() == "authorization" })
        let body = try JSONValue(parsing: request.body)
        #expect(body["max_tokens"] == nil)
        #expect(body["tool_choice"] == ["type": "function", "function": ["name": "propose_plan"]])
        conversation.toolChoice = .auto
        #expect(try JSONValue(parsing: local.request(for: conversation, timeout: 1).body)["tool_choice"] == "auto")
    }

    @Test func parsesToolCallsWhoseArgumentsAreAJSONString() throws {
        let reply = try provider.parse(
            response(
                200,
                completion(
                    message:
                        #"{"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function","function":{"name":"docker_logs","arguments":"{\"container\":\"nginx\"}"}},{"id":"call_2","type":"function","function":{"name":"uptime","arguments":""}}]}"#
                ))
        ).get()
        #expect(
            reply.toolCalls == [
                LLMToolCall(id: "call_1", name: "docker_logs", input: ["container": "nginx"]),
                LLMToolCall(id: "call_2", name: "uptime", input: [:]),
            ])
        #expect(reply.text == "")
        #expect(reply.stopReason == .toolUse)
        #expect(reply.usage.inputTokens == 100 && reply.usage.outputTokens == 10)
        #expect(abs(reply.usage.estimatedCostUSD - 0.00035) < 1e-12)  // 100 × $2.5/M + 10 × $10/M
    }

    @Test func toleratesLocalServerQuirks() throws {
        // No usage, object arguments, no call id.
        let reply = try provider.parse(
            response(
                200,
                completion(
                    message: #"{"role":"assistant","content":"Checking","tool_calls":[{"function":{"name":"df","arguments":{"path":"/"}}}]}"#,
                    usage: "")
            )
        ).get()
        #expect(reply.toolCalls == [LLMToolCall(id: "call_0", name: "df", input: ["path": "/"])])
        #expect(reply.text == "Checking")
        #expect(reply.usage == LLMUsage(inputTokens: 0, outputTokens: 0, estimatedCostUSD: 0))
    }

    @Test(arguments: [("stop", LLMStopReason.endTurn), ("length", .maxTokens), ("content_filter", .other("content_filter"))])
    func mapsFinishReasons(_ wire: String, _ expected: LLMStopReason) throws {
        let reply = try provider.parse(response(200, completion(message: #"{"role":"assistant","content":"x"}"#, finish: wire))).get()
        #expect(reply.stopReason == expected)
    }

    @Test func mapsErrors() {
        let body = #"{"error":{"message":"nope","type":"invalid_request_error","param":null,"code":null}}"#
        #expect(provider.parse(response(429, body, headers: [HTTPHeader("retry-after", "3")])) == .failure(.rateLimited(retryAfter: 3)))
        #expect(provider.parse(response(503, body)) == .failure(.server(status: 503)))
        #expect(provider.parse(response(401, body)) == .failure(.authentication("nope")))
        #expect(provider.parse(response(400, body)) == .failure(.badRequest("nope")))
        #expect(provider.parse(response(404, "")) == .failure(.badRequest("HTTP 404")))
    }

    @Test(arguments: [
        (#"{"container":"ngi"#, "not valid JSON"),
        (#"not json at all"#, "not valid JSON"),
        (#"["container"]"#, "expected a JSON object, got array"),
        (#""nginx""#, "expected a JSON object, got string"),
    ])
    func argumentsThatAreNotAJSONObjectAreMalformed(_ arguments: String, _ expected: String) {
        let message: JSONValue = [
            "role": "assistant", "content": nil,
            "tool_calls": [["id": "c", "type": "function", "function": ["name": "x", "arguments": .string(arguments)]]],
        ]
        guard case .failure(.malformed(let why)) = provider.parse(response(200, completion(message: message.jsonText))) else {
            Issue.record("expected malformed")
            return
        }
        #expect(why.contains("choices[0].message.tool_calls[0].function.arguments"), "\(why)")
        #expect(why.contains(expected), "\(why)")
    }

    @Test(arguments: [
        (#"{"choices":[]}"#, "choices is empty"),
        (#"{"choices":[{"message":{"role":"assistant","content":42},"finish_reason":"stop"}]}"#, "content: expected string"),
        (#"{"choices":[{"message":{"tool_calls":[{"id":"c","function":{"name":"x","arguments":7}}]}}]}"#, "expected a JSON string, got number"),
        (#"{"choices":[{"message":{"content":"x"}}],"usage":{"prompt_tokens":"1"}}"#, "usage.prompt_tokens"),
        (#"{"choices":[{"message":{"content":"x"}"#, "not valid JSON"),
    ])
    func malformedBodiesAreTyped(_ body: String, _ expected: String) {
        guard case .failure(.malformed(let why)) = provider.parse(response(200, body)) else {
            Issue.record("expected malformed for \(body)")
            return
        }
        #expect(why.contains(expected), "\(why)")
    }
}
