import Foundation
import Testing

@testable import JarvisCore

@Suite struct AnthropicProviderTests {
    let provider = AnthropicProvider(
        model: "claude-sonnet-4-5", baseURL: "https://api.anthropic.com/", apiKey: Secret("sk-ant-test-123"), maxTokens: 1024)

    static let conversation = LLMConversation(
        system: "You are a test.",
        turns: [
            .user("Why is nginx down?"),
            .assistant(text: "Checking.", toolCalls: [LLMToolCall(id: "toolu_1", name: "docker_logs", input: ["container": "nginx"])]),
            .toolResults([LLMToolResult(toolCallID: "toolu_1", content: "OOMKilled", isError: false)]),
            .assistant(text: "", toolCalls: [LLMToolCall(id: "toolu_2", name: "nope", input: [:])]),
            .toolResults([LLMToolResult(toolCallID: "toolu_2", content: "unknown tool", isError: true)]),
        ],
        tools: [
            LLMToolDefinition(
                name: "docker_logs", description: "Container logs.",
                inputSchema: ["type": "object", "properties": ["container": ["type": "string"]], "required": ["container"]])
        ],
        toolChoice: .any)

    func response(_ status: Int, _ body: String, headers: [HTTPHeader] = []) -> HTTPResponse {
        HTTPResponse(status: status, headers: headers, body: Array(body.utf8))
    }

    @Test func requestCarriesTheDocumentedHeadersAndURL() {
        let request = provider.request(for: Self.conversation, timeout: 42)
        #expect(request.method == "POST")
        #expect(request.url == "https://api.anthropic.com/v1/messages")
        #expect(request.timeout == 42)
        let headers = Dictionary(request.headers.map { ($0.name.lowercased(), $0.value) }, uniquingKeysWith: { a, _ in a })
        #expect(headers["x-api-key"] == "sk-ant-test-123")
        #expect(headers["anthropic-version"] == "2023-06-01")
        #expect(headers["content-type"] == "application/json")
        #expect(headers["authorization"] == nil)
    }

    @Test func requestBodyHasModelSystemMessagesToolsAndToolChoice() throws {
        let body = try JSONValue(parsing: provider.request(for: Self.conversation, timeout: 30).body)
        #expect(body["model"] == "claude-sonnet-4-5")
        #expect(body["max_tokens"] == 1024)
        #expect(body["system"] == "You are a test.")
        #expect(body["tool_choice"] == ["type": "any"])
        #expect(
            body["tools"]
                == [
                    [
                        "name": "docker_logs", "description": "Container logs.",
                        "input_schema": ["type": "object", "properties": ["container": ["type": "string"]], "required": ["container"]],
                    ]
                ])
        let messages = try #require(body["messages"]?.arrayValue)
        #expect(messages.count == 5)
        #expect(messages[0] == ["role": "user", "content": [["type": "text", "text": "Why is nginx down?"]]])
        #expect(
            messages[1]
                == [
                    "role": "assistant",
                    "content": [
                        ["type": "text", "text": "Checking."],
                        ["type": "tool_use", "id": "toolu_1", "name": "docker_logs", "input": ["container": "nginx"]],
                    ],
                ])
        #expect(messages[2] == ["role": "user", "content": [["type": "tool_result", "tool_use_id": "toolu_1", "content": "OOMKilled"]]])
        // No empty text block for a reply that only called a tool.
        #expect(messages[3]["content"] == [["type": "tool_use", "id": "toolu_2", "name": "nope", "input": [:]]])
        #expect(messages[4]["content"]?[0]?["is_error"] == true)
    }

    @Test func toolChoiceAutoAndNamedToolAndNoTools() throws {
        var conversation = Self.conversation
        conversation.toolChoice = .tool("propose_plan")
        #expect(
            try JSONValue(parsing: provider.request(for: conversation, timeout: 1).body)["tool_choice"] == ["type": "tool", "name": "propose_plan"])
        conversation.toolChoice = .auto
        #expect(try JSONValue(parsing: provider.request(for: conversation, timeout: 1).body)["tool_choice"] == ["type": "auto"])
        conversation.tools = []
        let body = try JSONValue(parsing: provider.request(for: conversation, timeout: 1).body)
        #expect(body["tools"] == nil)
        #expect(body["tool_choice"] == nil)
    }

    @Test func theKeyNeverPrints() {
        #expect(!"\(provider)".contains("sk-ant-test-123"))
        #expect(!String(reflecting: provider).contains("sk-ant-test-123"))
    }

    @Test func parsesATextReply() throws {
        let reply = try provider.parse(
            response(
                200,
                #"{"id":"msg_1","type":"message","role":"assistant","model":"claude-sonnet-4-5","content":[{"type":"text","text":"All good."}],"stop_reason":"end_turn","stop_sequence":null,"usage":{"input_tokens":1000,"output_tokens":200}}"#
            )
        ).get()
        #expect(reply.text == "All good.")
        #expect(reply.toolCalls.isEmpty)
        #expect(reply.stopReason == .endTurn)
        #expect(reply.usage.inputTokens == 1000)
        #expect(reply.usage.outputTokens == 200)
        #expect(abs(reply.usage.estimatedCostUSD - 0.006) < 1e-12)  // 1000 × $3/M + 200 × $15/M
    }

    @Test func parsesToolUseBlocksAndSkipsOtherBlockKinds() throws {
        let reply = try provider.parse(
            response(
                200,
                #"{"id":"msg_2","type":"message","role":"assistant","content":[{"type":"thinking","thinking":"hm","signature":"x"},{"type":"text","text":"Let me look."},{"type":"tool_use","id":"toolu_a","name":"docker_logs","input":{"container":"nginx","lines":50}},{"type":"tool_use","id":"toolu_b","name":"df","input":{}}],"stop_reason":"tool_use","usage":{"input_tokens":5,"output_tokens":6}}"#
            )
        ).get()
        #expect(reply.text == "Let me look.")
        #expect(
            reply.toolCalls == [
                LLMToolCall(id: "toolu_a", name: "docker_logs", input: ["container": "nginx", "lines": 50]),
                LLMToolCall(id: "toolu_b", name: "df", input: [:]),
            ])
        #expect(reply.stopReason == .toolUse)
    }

    @Test(arguments: [("max_tokens", LLMStopReason.maxTokens), ("stop_sequence", .endTurn), ("refusal", .other("refusal"))])
    func mapsStopReasons(_ wire: String, _ expected: LLMStopReason) throws {
        let body = #"{"type":"message","content":[],"stop_reason":"\#(wire)","usage":{"input_tokens":1,"output_tokens":1}}"#
        #expect(try provider.parse(response(200, body)).get().stopReason == expected)
    }

    @Test func mapsDocumentedErrors() {
        func error(_ status: Int, _ type: String, headers: [HTTPHeader] = []) -> LLMError? {
            let body = #"{"type":"error","error":{"type":"\#(type)","message":"says \#(type)"}}"#
            guard case .failure(let error) = provider.parse(response(status, body, headers: headers)) else { return nil }
            return error
        }
        #expect(error(429, "rate_limit_error", headers: [HTTPHeader("Retry-After", "17")]) == .rateLimited(retryAfter: 17))
        #expect(error(429, "rate_limit_error") == .rateLimited(retryAfter: nil))
        #expect(error(529, "overloaded_error") == .overloaded)
        #expect(error(500, "api_error") == .server(status: 500))
        #expect(error(400, "invalid_request_error") == .badRequest("says invalid_request_error"))
        #expect(error(413, "request_too_large") == .badRequest("says request_too_large"))
        #expect(error(401, "authentication_error") == .authentication("says authentication_error"))
        #expect(error(403, "permission_error") == .authentication("says permission_error"))
        #expect(LLMError.rateLimited(retryAfter: nil).isRetryable && LLMError.overloaded.isRetryable && LLMError.server(status: 502).isRetryable)
        #expect(!LLMError.badRequest("x").isRetryable && !LLMError.authentication("x").isRetryable && !LLMError.malformed("x").isRetryable)
        // A proxy's HTML error page is still typed by status.
        #expect(provider.parse(response(502, "<html>Bad gateway</html>")) == .failure(.server(status: 502)))
    }

    @Test(arguments: [
        ("", "empty body"),
        (#"{"type":"message","content":[{"type":"tool_use","id":"t","name":"x","inp"#, "not valid JSON"),
        (#"{"type":"message","content":[],"stop_reason":"end_turn"}"#, "usage: missing"),
        (#"{"type":"message","content":[],"stop_reason":"end_turn","usage":{"input_tokens":"9","output_tokens":1}}"#, "usage.input_tokens"),
        (#"{"type":"message","content":[],"stop_reason":"end_turn","usage":{"input_tokens":-1,"output_tokens":1}}"#, "usage.input_tokens"),
        (#"{"type":"message","content":"hi","stop_reason":"end_turn","usage":{"input_tokens":1,"output_tokens":1}}"#, "content: expected array"),
        (
            #"{"type":"message","content":[{"type":"tool_use","id":"t","name":"x","input":"{}"}],"stop_reason":"tool_use","usage":{"input_tokens":1,"output_tokens":1}}"#,
            "content[0].input: expected object"
        ),
        (
            #"{"type":"message","content":[{"type":"tool_use","name":"x","input":{}}],"stop_reason":"tool_use","usage":{"input_tokens":1,"output_tokens":1}}"#,
            "content[0].id: missing"
        ),
        (#"{"type":"message","content":[],"stop_reason":7,"usage":{"input_tokens":1,"output_tokens":1}}"#, "stop_reason: expected string"),
        (#"{"type":"error","error":{"type":"api_error","message":"boom"}}"#, "not \"message\""),
        (#"[1,2]"#, "expected object"),
    ])
    func malformedBodiesAreTypedAndSayWhere(_ body: String, _ expected: String) throws {
        guard case .failure(.malformed(let why)) = provider.parse(response(200, body)) else {
            Issue.record("expected malformed for \(body)")
            return
        }
        #expect(why.contains(expected), "\(why)")
    }
}
