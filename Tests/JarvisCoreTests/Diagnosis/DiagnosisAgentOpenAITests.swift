import Foundation
import JarvisTestSupport
import Testing

@testable import JarvisCore

@Suite(.timeLimit(.minutes(1))) struct DiagnosisAgentOpenAITests {
    let server: StandInOpenAIServer
    let clock = AdvancingTestClock()
    let sleeper: RecordingClockSleeper

    init() throws {
        server = try StandInOpenAIServer()
        sleeper = RecordingClockSleeper(clock: clock)
    }

    func agent(apiKey: Secret<String>? = Secret("sk-local")) -> DiagnosisAgent {
        DiagnosisAgent(
            provider: OpenAICompatibleProvider(model: "gpt-4o", baseURL: server.baseURL, apiKey: apiKey),
            transport: LoopbackHTTPTransport(), sleeper: sleeper, now: { clock.now() }, tools: AgentFixture.tools,
            actions: AgentFixture.actions)
    }

    func diagnose(_ agent: DiagnosisAgent, runner: RecordingDiagnosticRunner = RecordingDiagnosticRunner()) -> DiagnosisResult {
        agent.diagnose(DiagnosisRequest(alert: AgentFixture.alert, host: "web1"), runner: runner)
    }

    @Test func diagnosesWithAToolThenProposesAPlan() throws {
        server.enqueue(
            .callTool("docker_logs", input: ["container": "nginx"]),
            .proposePlan(actions: [AgentFixture.restartNginx], summary: "OOM", risk: "medium"))
        let runner = RecordingDiagnosticRunner(outputs: ["docker.logs": DiagnosticResult(text: "OOMKilled")])

        let result = diagnose(agent(), runner: runner)

        guard case .plan(let plan, let trace) = result else {
            Issue.record("expected a plan, got \(result)")
            return
        }
        #expect(plan == DiagnosisPlan(actions: [AgentFixture.restartNginx], summary: "OOM", risk: .medium))
        #expect(runner.calls.map(\.parameters) == [["container": "nginx"]])
        #expect(
            trace.usage == Array(repeating: LLMUsage(inputTokens: 120, outputTokens: 30, estimatedCostUSD: (120 * 2.5 + 30 * 10) / 1e6), count: 2))

        let requests = server.requests
        #expect(requests.count == 2)
        #expect(requests[0].path == "/v1/chat/completions")
        #expect(requests[0].headers["authorization"] == "Bearer sk-local")
        #expect(requests[0].json?["tool_choice"] == "required")
        #expect(requests[0].json?["tools"]?[0]?["function"]?["name"] == "docker_logs")
        let messages = try #require(requests[1].json?["messages"]?.arrayValue)
        #expect(messages.map { $0["role"]?.stringValue } == ["system", "user", "assistant", "tool"])
        let call = try #require(messages[2]["tool_calls"]?[0])
        let arguments = try #require(call["function"]?["arguments"]?.stringValue)
        #expect(try JSONValue(parsing: arguments) == ["container": "nginx"])
        #expect(messages[3]["tool_call_id"] == call["id"])
        #expect(messages[3]["content"] == "OOMKilled")
    }

    @Test func aLocalModelWithoutKeySendsNoAuthorization() {
        server.enqueue(.proposePlan(actions: []))
        _ = diagnose(agent(apiKey: nil))
        #expect(server.requests.first?.headers["authorization"] == nil)
    }

    @Test func toolArgumentsThatAreInvalidJSONAreMalformed() {
        server.enqueue(.callToolRawArguments("docker_logs", arguments: #"{"container": "ngi"#))
        let runner = RecordingDiagnosticRunner()
        guard case .failed(.malformedOutput(let why), _) = diagnose(agent(), runner: runner) else {
            Issue.record("expected malformed")
            return
        }
        #expect(why.contains("arguments: not valid JSON"))
        #expect(runner.calls.isEmpty)
    }

    @Test func planArgumentsThatAreNotAnObjectAreMalformed() {
        server.enqueue(.callToolRawArguments("propose_plan", arguments: #"["docker.restart"]"#))
        guard case .failed(.malformedOutput(let why), _) = diagnose(agent()) else {
            Issue.record("expected malformed")
            return
        }
        #expect(why.contains("expected a JSON object, got array"))
    }

    @Test func rateLimitsAndUnavailabilityAreRetried() {
        server.enqueue(.rateLimited(retryAfter: "2"), .overloaded, .proposePlan(actions: []))
        guard case .plan(_, let trace) = diagnose(agent()) else {
            Issue.record("expected a plan")
            return
        }
        #expect(sleeper.waits == [2, 2])
        #expect(trace.requests == 3)
    }

    @Test func truncatedAndWrongTypedRepliesAreMalformed() {
        server.enqueue(.truncatedJSON)
        guard case .failed(.malformedOutput, _) = diagnose(agent()) else {
            Issue.record("expected malformed for a cut body")
            return
        }
        server.enqueue(.wrongTypes)
        guard case .failed(.malformedOutput(let why), _) = diagnose(agent()) else {
            Issue.record("expected malformed for wrong types")
            return
        }
        #expect(why.contains("content: expected string"))
    }

    @Test func theToolCallBudgetIsEnforced() {
        server.fallback = .callTool("docker_ps")
        let runner = RecordingDiagnosticRunner()
        guard case .failed(.toolCallBudgetExceeded(limit: 8), _) = diagnose(agent(), runner: runner) else {
            Issue.record("expected the tool-call budget")
            return
        }
        #expect(runner.calls.count == 8)
        #expect(server.requests.last?.json?["tool_choice"] == ["type": "function", "function": ["name": "propose_plan"]])
    }
}
