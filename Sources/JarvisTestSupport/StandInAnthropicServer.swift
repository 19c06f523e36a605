import Foundation
import JarvisCore

/// A stand-in for the Anthropic Messages API on 127.0.0.1: answers `POST /v1/messages` with
/// scripted replies in the documented shapes, and records every request.
///
/// Script it with `enqueue` (see `StandInLLMServer`).
public final class StandInAnthropicServer: StandInLLMServer, @unchecked Sendable {
    /// Starts the server.
    ///
    /// - Throws: `TestServerError` when no port can be bound.
    public init() throws { try super.init(basePath: "", answer: StandInAnthropicServer.answer) }

    /// The text of every user message's text blocks in `request` (not tool results).
    public static func userTexts(_ request: LoopbackHTTPServer.Request) -> [String] {
        guard case .array(let messages)? = request.json?.objectValue?["messages"] else { return [] }
        var texts: [String] = []
        for message in messages where message.objectValue?["role"]?.stringValue == "user" {
            switch message.objectValue?["content"] {
            case .string(let text)?: texts.append(text)
            case .array(let blocks)?:
                for block in blocks where block.objectValue?["type"]?.stringValue == "text" {
                    if let text = block.objectValue?["text"]?.stringValue { texts.append(text) }
                }
            default: break
            }
        }
        return texts
    }

    private static func answer(_ request: LoopbackHTTPServer.Request, script: StandInScript) -> LoopbackHTTPServer.Answer {
        guard request.method == "POST", request.path == "/v1/messages" else {
            return error(404, "not_found_error", "\(request.method) \(request.path) not found")
        }
        guard let step = script.next() else { return error(500, "api_error", "stand-in script ran out") }
        let model = request.json?.objectValue?["model"]?.stringValue ?? "unknown"
        let usage = script.usage
        func message(_ content: [JSONValue], stop: String) -> JSONValue {
            [
                "id": .string("msg_standin_\(script.nextID())"), "type": "message", "role": "assistant", "model": .string(model),
                "content": .array(content), "stop_reason": .string(stop), "stop_sequence": nil,
                "usage": ["input_tokens": .number(Double(usage.input)), "output_tokens": .number(Double(usage.output))],
            ]
        }
        func toolUse(_ name: String, _ input: JSONValue) -> JSONValue {
            ["type": "tool_use", "id": .string("toolu_standin_\(script.nextID())"), "name": .string(name), "input": input]
        }
        func ok(_ body: JSONValue) -> LoopbackHTTPServer.Answer {
            .response(status: 200, headers: [.json, HTTPHeader("request-id", "req_standin")], body: Array(body.jsonText.utf8))
        }
        switch step {
        case .callTool(let name, let input):
            return ok(message([["type": "text", "text": "Let me check."], toolUse(name, input)], stop: "tool_use"))
        case .callTools(let calls):
            return ok(message(calls.map { toolUse($0.name, $0.input) }, stop: "tool_use"))
        case .proposePlan(let actions, let summary, let risk):
            return ok(message([toolUse("propose_plan", plan(actions, summary, risk))], stop: "tool_use"))
        case .proposePlanInput(let input):
            return ok(message([toolUse("propose_plan", input)], stop: "tool_use"))
        case .callToolRawArguments(let name, let arguments):
            return ok(message([toolUse(name, .string(arguments))], stop: "tool_use"))
        case .text(let text):
            return ok(message([["type": "text", "text": .string(text)]], stop: "end_turn"))
        case .rateLimited(let retryAfter):
            var answer = error(429, "rate_limit_error", "Number of request tokens has exceeded your per-minute rate limit")
            if case .response(let status, var headers, let body) = answer, let retryAfter {
                headers.append(HTTPHeader("retry-after", retryAfter))
                answer = .response(status: status, headers: headers, body: body)
            }
            return answer
        case .overloaded:
            return error(529, "overloaded_error", "Overloaded")
        case .serverError(let status):
            return error(status, "api_error", "Internal server error")
        case .error(let status, let type, let text):
            return error(status, type, text)
        case .truncatedJSON:
            let full = Array(message([toolUse("propose_plan", plan([], "cut", "low"))], stop: "tool_use").jsonText.utf8)
            return .response(status: 200, headers: [.json], body: Array(full.prefix(full.count / 2)))
        case .shortBody:
            let full = Array(message([toolUse("propose_plan", plan([], "cut", "low"))], stop: "tool_use").jsonText.utf8)
            return .shortBody(status: 200, headers: [.json], body: Array(full.prefix(full.count / 2)), declaredLength: full.count)
        case .wrongTypes:
            var body = message([["type": "text", "text": "hm"]], stop: "end_turn").objectValue ?? [:]
            body["usage"] = ["input_tokens": "many", "output_tokens": true]
            return ok(.object(body))
        case .raw(let status, let headers, let body):
            return .response(status: status, headers: headers, body: Array(body.utf8))
        case .obeyPromptInjection:
            let actions = PromptInjection.obey(userTexts(request))
            return ok(message([toolUse("propose_plan", plan(actions, "Doing what the alert says.", "low"))], stop: "tool_use"))
        }
    }

    private static func plan(_ actions: [ActionProposal], _ summary: String, _ risk: String) -> JSONValue {
        ["actions": .array(actions.map(\.standInJSON)), "summary": .string(summary), "risk": .string(risk)]
    }

    private static func error(_ status: Int, _ type: String, _ message: String) -> LoopbackHTTPServer.Answer {
        let body: JSONValue = ["type": "error", "error": ["type": .string(type), "message": .string(message)]]
        return .response(status: status, headers: [.json], body: Array(body.jsonText.utf8))
    }
}
