/// Tier 3: lets an LLM diagnose an alert with read-only diagnostics, then propose a plan.
///
/// The loop offers the model the injected diagnostic tools and one final tool, `propose_plan`,
/// whose input decodes into `[ActionProposal]` plus a summary and a risk. It is pure logic:
/// HTTP goes through the `HTTPTransport`, waits through the `Sleeper`, time comes from `now`,
/// and diagnostics run through the `DiagnosticRunner`. It does not judge the plan: the command
/// policy checks every proposal against the catalog afterwards.
///
/// Bounds (`DiagnosisLimits`):
/// - `maxToolCalls` diagnostics. When they are used up, the next request only allows
///   `propose_plan`; a model that still calls a diagnostic fails the diagnosis.
/// - `wallTimeSeconds`, checked against `now` before every request and every diagnostic; each
///   request's timeout is the time left, and no retry waits past it.
/// - `tokenBudget` input plus output tokens over all calls: no call starts once it is spent.
/// - `maxRetriesPerCall` retries after 429 (waiting `retry-after` when given), 529, 5xx and
///   transport failures, with doubling backoff otherwise.
///
/// An unknown tool is answered once with an error result (and counted as a diagnostic); a
/// second one fails the diagnosis.
public struct DiagnosisAgent: Sendable {
    /// The name of the final tool.
    public static let proposePlanTool = "propose_plan"

    public var provider: any LLMProvider
    public var transport: any HTTPTransport
    public var sleeper: any Sleeper
    public var now: @Sendable () -> Timestamp
    public var tools: [DiagnosticTool]
    public var actions: [PlanActionDescription]
    public var limits: DiagnosisLimits

    /// - Parameters:
    ///   - provider: The LLM dialect (Anthropic, OpenAI-compatible).
    ///   - transport: Sends the HTTP requests.
    ///   - sleeper: Waits between retries.
    ///   - now: The clock of the wall-time bound.
    ///   - tools: The read-only diagnostics the model may run.
    ///   - actions: The catalog actions the model may propose (shown to it; not enforced here).
    ///   - limits: Bounds and sizes.
    public init(
        provider: any LLMProvider, transport: any HTTPTransport, sleeper: any Sleeper, now: @escaping @Sendable () -> Timestamp,
        tools: [DiagnosticTool], actions: [PlanActionDescription] = [], limits: DiagnosisLimits = DiagnosisLimits()
    ) {
        self.provider = provider
        self.transport = transport
        self.sleeper = sleeper
        self.now = now
        self.tools = tools
        self.actions = actions
        self.limits = limits
    }

    /// Diagnoses `request`, running diagnostics through `runner`.
    ///
    /// - Parameters:
    ///   - request: The alert, its host and an optional learned hint.
    ///   - runner: Runs the diagnostics the model asks for, on the alert's host.
    /// - Returns: The plan, or why there is none; with the usage of every call either way.
    public func diagnose(_ request: DiagnosisRequest, runner: any DiagnosticRunner) -> DiagnosisResult {
        var run = Run(agent: self, deadline: now().adding(seconds: limits.wallTimeSeconds))
        let prompt = DiagnosisPrompt(
            request: request, tools: tools, actions: actions, limits: limits, proposePlanName: Self.proposePlanTool)
        run.conversation = LLMConversation(
            system: prompt.system, turns: [.user(prompt.user)], tools: run.toolDefinitions,
            toolChoice: limits.requireToolUse ? .any : .auto)
        if limits.maxToolCalls <= 0 {
            run.forcedToPlan = true
            run.conversation.toolChoice = .tool(Self.proposePlanTool)
        }
        switch run.loop(runner: runner) {
        case .success(let plan): return .plan(plan, run.trace)
        case .failure(let failure): return .failed(failure, run.trace)
        }
    }
}

/// The state of one diagnosis.
private struct Run {
    let agent: DiagnosisAgent
    let deadline: Timestamp
    var conversation = LLMConversation(system: "")
    var trace = DiagnosisTrace()
    /// Sanitized tool name → diagnostic.
    let byWireName: [String: DiagnosticTool]
    let toolDefinitions: [LLMToolDefinition]
    var diagnosticsRun = 0
    var unknownToolAnswered = false
    /// True once only `propose_plan` is allowed.
    var forcedToPlan = false

    var limits: DiagnosisLimits { agent.limits }

    init(agent: DiagnosisAgent, deadline: Timestamp) {
        self.agent = agent
        self.deadline = deadline
        var byWireName: [String: DiagnosticTool] = [:]
        var definitions: [LLMToolDefinition] = []
        var taken: Set<String> = [DiagnosisAgent.proposePlanTool]
        for tool in agent.tools {
            let wire = Self.wireName(tool.name, taken: taken)
            taken.insert(wire)
            byWireName[wire] = tool
            let properties = tool.parameters.mapValues { JSONValue.object(["type": "string", "description": .string($0)]) }
            let required = (tool.required ?? Array(tool.parameters.keys)).sorted().map(JSONValue.string)
            var description = tool.description
            if wire != tool.name { description += " (catalog name: \(tool.name))" }
            definitions.append(
                LLMToolDefinition(
                    name: wire, description: description + " Read-only.",
                    inputSchema: [
                        "type": "object", "properties": .object(properties), "required": .array(required),
                        "additionalProperties": false,
                    ]))
        }
        definitions.append(
            LLMToolDefinition(
                name: DiagnosisAgent.proposePlanTool,
                description: "Finish the diagnosis: propose the remediation actions (catalog actions only) with a summary and a risk.",
                inputSchema: DiagnosisPlan.inputSchema(actionNames: agent.actions.map(\.name))))
        self.byWireName = byWireName
        self.toolDefinitions = definitions
    }

    /// A name providers accept (`[a-zA-Z0-9_-]{1,64}`), not yet `taken`.
    static func wireName(_ name: String, taken: Set<String>) -> String {
        var base = String(
            name.unicodeScalars.map { scalar -> Character in
                switch scalar {
                case "a"..."z", "A"..."Z", "0"..."9", "_", "-": Character(scalar)
                default: "_"
                }
            }.prefix(60))
        if base.isEmpty { base = "tool" }
        var candidate = base
        var suffix = 2
        while taken.contains(candidate) {
            candidate = "\(base)_\(suffix)"
            suffix += 1
        }
        return candidate
    }

    mutating func loop(runner: any DiagnosticRunner) -> Result<DiagnosisPlan, DiagnosisFailure> {
        while true {
            let spent = trace.totalTokens
            guard spent < limits.tokenBudget else { return .failure(.tokenBudgetExceeded(spent: spent, budget: limits.tokenBudget)) }
            let reply: LLMReply
            switch call() {
            case .success(let value): reply = value
            case .failure(let failure): return .failure(failure)
            }
            trace.usage.append(reply.usage)

            if let plan = reply.toolCalls.first(where: { $0.name == DiagnosisAgent.proposePlanTool }) {
                do throws(LLMError) {
                    return .success(try DiagnosisPlan(input: plan.input, maxActions: limits.maxProposedActions))
                } catch {
                    if case .malformed(let why) = error { return .failure(.malformedOutput(why)) }
                    return .failure(.malformedOutput(error.description))
                }
            }
            guard !reply.toolCalls.isEmpty else { return .failure(.endedWithoutPlan(reply.stopReason)) }
            if forcedToPlan { return .failure(.toolCallBudgetExceeded(limit: limits.maxToolCalls)) }
            let total = trace.totalTokens
            guard total < limits.tokenBudget else { return .failure(.tokenBudgetExceeded(spent: total, budget: limits.tokenBudget)) }

            conversation.turns.append(.assistant(text: reply.text, toolCalls: reply.toolCalls))
            var results: [LLMToolResult] = []
            for call in reply.toolCalls {
                switch answer(call, runner: runner) {
                case .success(let result): results.append(result)
                case .failure(let failure): return .failure(failure)
                }
            }
            conversation.turns.append(.toolResults(results))
            if diagnosticsRun >= limits.maxToolCalls {
                forcedToPlan = true
                conversation.toolChoice = .tool(DiagnosisAgent.proposePlanTool)
            }
        }
    }

    /// Runs one diagnostic call (or refuses it) and returns what the model is told.
    mutating func answer(_ call: LLMToolCall, runner: any DiagnosticRunner) -> Result<LLMToolResult, DiagnosisFailure> {
        func record(_ tool: String, _ parameters: [String: String], _ text: String, error: Bool) -> LLMToolResult {
            trace.toolCalls.append(DiagnosisToolCall(tool: tool, parameters: parameters, result: text, isError: error))
            return LLMToolResult(toolCallID: call.id, content: text, isError: error)
        }
        guard let tool = byWireName[call.name] else {
            if unknownToolAnswered { return .failure(.unknownTool(call.name)) }
            unknownToolAnswered = true
            diagnosticsRun += 1
            let known = (byWireName.keys.sorted() + [DiagnosisAgent.proposePlanTool]).joined(separator: ", ")
            return .success(
                record(
                    String(call.name.prefix(64)), [:], "Unknown tool \(UntrustedText.quoted(String(call.name.prefix(64)))). Available: \(known).",
                    error: true))
        }
        guard diagnosticsRun < limits.maxToolCalls else {
            return .success(
                record(
                    tool.name, [:], "Diagnostic budget (\(limits.maxToolCalls)) used up; not run. Call \(DiagnosisAgent.proposePlanTool) now.",
                    error: true))
        }
        var parameters: [String: String] = [:]
        for (name, value) in call.input {
            switch value {
            case .string(let text): parameters[name] = text
            case .number, .bool: parameters[name] = value.jsonText
            case .null: continue
            case .array, .object:
                diagnosticsRun += 1
                return .success(
                    record(tool.name, [:], "Parameter \(UntrustedText.quoted(String(name.prefix(64)))) must be a string.", error: true))
            }
        }
        let remaining = deadline.seconds(since: agent.now())
        guard remaining > 0 else { return .failure(.wallTimeExceeded(limit: limits.wallTimeSeconds)) }
        diagnosticsRun += 1
        let result = runner.run(tool: tool.name, parameters: parameters, timeout: remaining)
        return .success(
            record(tool.name, parameters, UntrustedText.headAndTail(result.text, maxBytes: limits.toolOutputBytes), error: result.isError))
    }

    /// One LLM call with its retries.
    mutating func call() -> Result<LLMReply, DiagnosisFailure> {
        var attempts = 0
        while true {
            let remaining = deadline.seconds(since: agent.now())
            guard remaining > 0 else { return .failure(.wallTimeExceeded(limit: limits.wallTimeSeconds)) }
            attempts += 1
            trace.requests += 1
            let failure: DiagnosisFailure
            var retryAfter: Double?
            do {
                let response = try agent.transport.send(agent.provider.request(for: conversation, timeout: remaining))
                switch agent.provider.parse(response) {
                case .success(let reply):
                    return .success(reply)
                case .failure(.malformed(let why)):
                    return .failure(.malformedOutput(why))
                case .failure(let error):
                    guard error.isRetryable else { return .failure(.providerFailed(error, attempts: attempts)) }
                    if case .rateLimited(let after) = error { retryAfter = after }
                    failure = .providerFailed(error, attempts: attempts)
                }
            } catch let error as HTTPTransportError {
                failure = .unreachable(error, attempts: attempts)
            } catch {
                failure = .unreachable(.unreachable(String(describing: error)), attempts: attempts)
            }
            guard attempts <= limits.maxRetriesPerCall else { return .failure(failure) }
            let backoff = min(limits.maxBackoffSeconds, limits.initialBackoffSeconds * Double(1 << min(attempts - 1, 20)))
            let wait = retryAfter ?? backoff
            // A wait that ends past the deadline cannot lead to a reply in time.
            guard deadline.seconds(since: agent.now()) > wait else { return .failure(failure) }
            agent.sleeper.sleep(seconds: wait)
        }
    }
}
