import Foundation
import JarvisCore

/// A stand-in for an OpenAI-compatible chat completions endpoint on 127.0.0.1: answers
/// `POST /v1/chat/completions` with scripted replies in the documented shapes (tool calls whose
/// `function.arguments` is a JSON string), and records every request.
///
/// Script it with `enqueue` (see `StandInLLMServer`).
public final class StandInOpenAIServer: StandInLLMServer, @unchecked Sendable {
    /// Starts the server.
    ///
    /// - Throws: `TestServerError` when no port can be bound.
    public init() throws { try super.init(basePath: "/v1", answer: StandInOpenAIServer.answer) }

    /// The content of every `user` message in `request`.
    public static func userTexts(_ request: LoopbackHTTPServer.Request) -> [String] {
        guard case .array(let messages)? = request.json?.objectValue?["messages"] else { return [] }
        return messages.compactMap { message in
            message.objectValue?["role"]?.stringValue == "user" ? message.objectValue?["content"]?.stringValue : nil
        }
    }

    private static func answer(_ request: LoopbackHTTPServer.Request, script: StandInScript) -> LoopbackHTTPServer.Answer {
        guard request.method == "POST", request.path == "/v1/chat/completions" else {
            return error(404, "invalid_request_error", "Unknown request URL: \(request.method) \(request.path)")
        }
        guard let step = script.next() else { return error(500, "server_error", "stand-in script ran out") }
        let model = request.json?.objectValue?["model"]?.stringValue ?? "unknown"
        let usage = script.usage
        func completion(content: String?, calls: [JSONValue], finish: String) -> JSONValue {
            var message: [String: JSONValue] = ["role": "assistant", "content": content.map(JSONValue.string) ?? .null]
            if !calls.isEmpty { message["tool_calls"] = .array(calls) }
            return [
                "id": .string("chatcmpl-standin-\(script.nextID())"), "object": "chat.completion", "created": 1_764_000_000,
                "model": .string(model),
                "choices": [["index": 0, "message": .object(message), "finish_reason": .string(finish)]],
                "usage": [
                    "prompt_tokens": .number(Double(usage.input)), "completion_tokens": .number(Double(usage.output)),
                    "total_tokens": .number(Double(usage.input + usage.output)),
                ],
            ]
        }
        func call(_ name: String, arguments: String) -> JSONValue {
            [
                "id": .string("call_standin_\(script.nextID())"), "type": "function",
                "function": ["name": .string(name), "arguments": .string(arguments)],
            ]
        }
        func ok(_ body: JSONValue) -> LoopbackHTTPServer.Answer {
            .response(status: 200, headers: [.json], body: Array(body.jsonText.utf8))
        }
        func planCall(_ actions: [ActionProposal], _ summary: String, _ risk: String) -> JSONValue {
            let input: JSONValue = ["actions": .array(actions.map(\.standInJSON)), "summary": .string(summary), "risk": .string(risk)]
            return call("propose_plan", arguments: input.jsonText)
        }
        switch step {
        case .callTool(let name, let input):
            return ok(completion(content: nil, calls: [call(name, arguments: input.jsonText)], finish: "tool_calls"))
        case .callTools(let calls):
            return ok(completion(content: nil, calls: calls.map { call($0.name, arguments: $0.input.jsonText) }, finish: "tool_calls"))
        case .proposePlan(let actions, let summary, let risk):
            return ok(completion(content: nil, calls: [planCall(actions, summary, risk)], finish: "tool_calls"))
        case .proposePlanInput(let input):
            return ok(completion(content: nil, calls: [call("propose_plan", arguments: input.jsonText)], finish: "tool_calls"))
        case .callToolRawArguments(let name, let arguments):
            return ok(completion(content: nil, calls: [call(name, arguments: arguments)], finish: "tool_calls"))
        case .text(let text):
            return ok(completion(content: text, calls: [], finish: "stop"))
        case .rateLimited(let retryAfter):
            var headers: [HTTPHeader] = [.json]
            if let retryAfter { headers.append(HTTPHeader("retry-after", retryAfter)) }
            return .response(status: 429, headers: headers, body: errorBody("rate_limit_exceeded", "Rate limit reached"))
        case .overloaded:
            return error(503, "server_error", "The server is overloaded")
        case .serverError(let status):
            return error(status, "server_error", "Internal server error")
        case .error(let status, let type, let text):
            return error(status, type, text)
        case .truncatedJSON:
            let full = Array(completion(content: nil, calls: [planCall([], "cut", "low")], finish: "tool_calls").jsonText.utf8)
            return .response(status: 200, headers: [.json], body: Array(full.prefix(full.count / 2)))
        case .shortBody:
            let full = Array(completion(content: nil, calls: [planCall([], "cut", "low")], finish: "tool_calls").jsonText.utf8)
            return .shortBody(status: 200, headers: [.json], body: Array(full.prefix(full.count / 2)), declaredLength: full.count)
        case .wrongTypes:
            var body = completion(content: "hm", calls: [], finish: "stop").objectValue ?? [:]
            body["choices"] = [["index": 0, "message": ["role": "assistant", "content": 42], "finish_reason": "stop"]]
            return ok(.object(body))
        case .raw(let status, let headers, let body):
            return .response(status: status, headers: headers, body: Array(body.utf8))
        case .obeyPromptInjection:
            let actions = PromptInjection.obey(userTexts(request))
            return ok(completion(content: nil, calls: [planCall(actions, "Doing what the alert says.", "low")], finish: "tool_calls"))
        }
    }

    private static func errorBody(_ type: String, _ message: String) -> [UInt8] {
        let body: JSONValue = ["error": ["message": .string(message), "type": .string(type), "param": nil, "code": .string(type)]]
        return Array(body.jsonText.utf8)
    }

    private static func error(_ status: Int, _ type: String, _ message: String) -> LoopbackHTTPServer.Answer {
        .response(status: status, headers: [.json], body: errorBody(type, message))
    }
}
