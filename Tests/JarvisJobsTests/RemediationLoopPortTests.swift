import Foundation
import JarvisCore
import JarvisJobs
import JarvisTestSupport
import Testing

/// The loop after triage on the in-memory ports: an LLM plan runs, its messages go through
/// the journal's outbox to Discord, the alert resolves, the verdict teaches the patterns, and
/// a learned pattern later acts without the LLM. The same recurring alert as the binary's
/// learning test, with an injected clock instead of waiting for verification windows.
@Suite struct RemediationLoopPortTests {
    typealias World = IngestPathTests.World

    static let labels = ["alertname": "FrigateDown", "host": "vps", "container": "frigate", "severity": "warning", "instance": "vps:9100"]

    /// The model: every request gets a `propose_plan` reply restarting the container, in
    /// Anthropic's format. Counts the requests.
    final class PlanningModel: HTTPTransport, @unchecked Sendable {
        private let lock = NSLock()
        private var count = 0
        var requests: Int { lock.withLock { count } }

        func send(_ request: HTTPRequest) throws -> HTTPResponse {
            lock.withLock { count += 1 }
            let action: JSONValue = ["action": "docker.restart", "parameters": ["container": "frigate"], "rationale": "it stopped"]
            let plan: JSONValue = ["actions": [action], "summary": "restart frigate", "risk": "low"]
            let body: JSONValue = [
                "id": "msg_1", "type": "message", "role": "assistant", "model": "claude-test",
                "content": [["type": "tool_use", "id": "toolu_1", "name": "propose_plan", "input": plan]], "stop_reason": "tool_use",
                "usage": ["input_tokens": 100, "output_tokens": 20],
            ]
            return HTTPResponse(status: 200, headers: [HTTPHeader("Content-Type", "application/json")], body: Array(body.jsonText.utf8))
        }
    }

    /// Records each command and answers that it worked.
    final class SucceedingExecutor: RemediationExecutor, @unchecked Sendable {
        private let lock = NSLock()
        private var received: [[String]] = []
        var commands: [[String]] { lock.withLock { received } }

        func execute(_ command: ResolvedCommand, on host: HostDefinition, timeout: Double) -> ExecutionOutcome {
            lock.withLock { received.append(command.argv) }
            return ExecutionOutcome(exitStatus: 0, stdout: "ok")
        }
    }

    let world: World
    let model = PlanningModel()
    let executor = SucceedingExecutor()

    init() throws {
        world = try World()
        world.configuration.remediation.mode = .execute
        // A recurring alert: keep flapping detection and the attempt budget out of the way.
        world.configuration.triage.flapping.window = 1000
        world.configuration.triage.attempts.limit = 100
        world.acting = executor
        let catalog = RemediationCatalog(configuration: world.configuration)
        let model = self.model
        let clock: @Sendable () -> Timestamp = { [world] in world.clock }
        world.agent = { _ in
            DiagnosisAgent(
                provider: AnthropicProvider(model: "claude-test", baseURL: "https://llm.test", apiKey: Secret("test-key")), transport: model,
                sleeper: RecordingSleeper(), now: clock, tools: catalog.diagnosticTools, actions: catalog.planActions, limits: DiagnosisLimits())
        }
    }

    /// Occurrence `n` of the alert (an hour apart), `status`, ingested a minute after it started
    /// (firing) or two (resolved).
    @discardableResult
    func ingest(_ n: Int, _ status: String) throws -> IngestReport {
        let start = Timestamp(seconds: 1_800_000_000 + Int64(n) * 3600)
        try world.enqueue(labels: Self.labels, status: status, startsAt: start.rfc3339)
        world.clock = start.adding(seconds: status == "firing" ? 60 : 120)
        return try world.job().run()
    }

    func kinds(_ report: IngestReport) -> [RemediationStage.Item.Kind] { report.remediation?.items.map(\.kind) ?? [] }

    @Test func nineVerifiedFixesTeachAPatternThatActsAloneThenAFailureDemotesItCountingEachOutcomeOnce() throws {
        for n in 1...9 {
            #expect(kinds(try ingest(n, "firing")) == [.remediated], "occurrence \(n)")
            #expect(model.requests == n, "occurrence \(n) asked the LLM")
            let resolved = try ingest(n, "resolved")
            #expect(kinds(resolved) == [.verified], "occurrence \(n)")
            #expect(resolved.remediation?.learning?.counted == 1, "occurrence \(n) taught once")
            // A second learning pass (`jarvis learn`) finds nothing left to teach.
            #expect(try world.journal.learn(forward: false, now: world.clock, runner: "test", shouldStop: { false }).outcomes == 0)
        }
        var patterns = world.journal.snapshot.patterns
        try #require(patterns.count == 1)
        #expect(patterns[0].successes == 9 && patterns[0].failures == 0)
        #expect(patterns[0].tier(now: world.clock) == .tier1)
        #expect(world.journal.snapshot.feedback.count == 9 && world.journal.snapshot.learnCursor == 9)
        // Learned at the first success (tier 3), a hint at the third; (8+1)/(8+2) is exactly
        // 0.90 when the eighth is taught, which the age decay takes just below by the next run,
        // so the ninth promotes it to tier 1 again, for good.
        let events = world.journal.snapshot.patternEvents
        #expect(events.map(\.kind) == [.learned, .promoted, .promoted, .promoted])
        #expect(events.map(\.toTier) == [.tier3, .tier2, .tier1, .tier1])
        #expect(events.map { $0.remediationKey?.hasPrefix("remediation/") ?? false } == [true, true, true, true])

        // Occurrence 10: the pattern acts alone, no LLM call.
        let tenth = try ingest(10, "firing")
        #expect(kinds(tenth) == [.remediated])
        #expect(tenth.remediation?.items.first?.tier == 1)
        #expect(model.requests == 9, "no LLM call at tier 1")
        #expect(executor.commands.count == 10 && executor.commands.allSatisfy { $0 == ["docker", "restart", "frigate"] })

        // It never resolves: past the verification window the next run settles it failed, the
        // pattern is demoted, and occurrence 11 goes to the LLM again.
        let eleventh = try ingest(11, "firing")
        #expect(kinds(eleventh) == [.verificationFailed, .remediated])
        #expect(eleventh.remediation?.learning?.count(.demoted) == 1)
        patterns = world.journal.snapshot.patterns
        #expect(patterns[0].successes == 9 && patterns[0].failures == 1)
        #expect(patterns[0].tier(now: world.clock) == .tier2)
        #expect(model.requests == 10)
        let demotion = try #require(world.journal.snapshot.patternEvents.last)
        #expect(demotion.kind == .demoted && demotion.fromTier == .tier1 && demotion.toTier == .tier2)

        // Occurrence 11 fails too: that command set has failed twice for this alert, so
        // occurrence 12 goes to a person instead.
        let twelfth = try ingest(12, "firing")
        #expect(kinds(twelfth) == [.verificationFailed, .escalated])
        #expect(twelfth.remediation?.items.last?.reason.contains("failed 2 times for this alert already") == true)
        #expect(world.journal.snapshot.patterns.map(\.failures) == [2])
        #expect(executor.commands.count == 11, "nothing ran for occurrence 12")
    }

    @Test func aPatternCountsEachOccurrenceOnceEvenWhenItsVerdictIsReplayed() throws {
        try ingest(1, "firing")
        try ingest(1, "resolved")
        let key = try #require(world.journal.snapshot.remediations.first?.key)
        // The verdict written again (a run replayed after a crash) leaves one feedback row.
        var record = try #require(try world.journal.remediations(where: .key(key), limit: 1).first)
        try world.journal.settleVerification(record, forward: false, now: world.clock)
        #expect(world.journal.snapshot.feedback.count == 1)
        // A second attempt at the same occurrence, verified too, is not a second success.
        record.key += "-again"
        try world.journal.settleVerification(record, forward: false, now: world.clock)
        let report = try world.journal.learn(forward: false, now: world.clock, runner: "test", shouldStop: { false })
        #expect(report.outcomes == 1 && report.repeats == 1 && report.counted == 0)
        #expect(world.journal.snapshot.patterns.map(\.successes) == [1])
    }

    @Test func theMetricsFileCountsTheLoopsAlertsAttemptsAndLLMUse() throws {
        try ingest(1, "firing")
        try ingest(1, "resolved")
        try ingest(2, "firing")
        let dir = try TemporaryDirectory()
        let writer = MetricsWriter(directory: dir.file("metrics"))
        try writer.writeState(configuration: world.configuration, journal: world.journal, spool: nil, now: world.clock)
        let text = try String(contentsOfFile: writer.stateFile, encoding: .utf8)
        #expect(text.contains(#"jarvis_alerts_total{decision="actionable"} 2"#), "\(text)")
        #expect(text.contains(#"jarvis_alerts_total{decision="resolved"} 1"#), "\(text)")
        // Both ran and exited 0 (verified or not); one success is no hint yet, so both were tier 3.
        #expect(text.contains(#"jarvis_remediations_total{tier="3",outcome="succeeded"} 2"#), "\(text)")
        #expect(text.contains("jarvis_llm_calls_total 2"), "\(text)")
        #expect(text.contains(#"jarvis_llm_tokens_total{direction="in"} 200"#), "\(text)")
    }

    @Test func theRunsMessagesReachDiscordOnceThroughTheJournalsOutboxAfterARateLimit() throws {
        world.configuration.discord.webhookURL = Secret("https://discord.test/api/webhooks/1/secret-token")
        let discord = ScriptedDiscordTransport([.rateLimited(retryAfter: 0.25)])
        world.discord = discord
        let fired = try ingest(1, "firing")
        let rows = try world.journal.outboxRows()
        #expect(rows.map(\.kind) == ["remediated"])
        #expect(fired.delivery?.delivered == rows.map(\.dedupKey))
        #expect(world.sleeper.waits == [0.25], "Discord's retry_after was waited")
        #expect(discord.requests.count == 2)

        let resolved = try ingest(1, "resolved")
        #expect(resolved.delivery?.delivered.count == 1, "the verified fix is one more message")
        #expect(try world.journal.outboxDepth() == OutboxDepth(pending: 0, oldestPending: nil, dead: 0, delivered: 2))
        // Later runs send nothing again.
        world.clock = world.clock.adding(seconds: 60)
        _ = try world.job().run()
        #expect(discord.requests.count == 3)
        #expect(try world.journal.nextOutboxAttempt() == nil)
    }

    @Test func aCrashBetweenDiscordsAnswerAndTheMarkSendsThatMessageOnceMoreAndNeverAgain() throws {
        world.configuration.discord.webhookURL = Secret("https://discord.test/api/webhooks/1/secret-token")
        let discord = ScriptedDiscordTransport()
        world.discord = discord
        world.journal.failNext(.markDelivered)
        #expect(throws: InMemoryJournalFailure.self) { try ingest(1, "firing") }
        #expect(discord.requests.count == 1)
        #expect(try world.journal.outboxDepth().pending == 1, "the message is still pending")
        #expect(try world.journal.nextOutboxAttempt() != nil)

        // Delivery is at least once: the next run sends it again (Discord has no idempotency
        // key), marks it, and no run after that sends it a third time.
        world.clock = world.clock.adding(seconds: 60)
        let replay = try world.job().run()
        #expect(replay.delivery?.delivered.count == 1)
        #expect(discord.requests.count == 2)
        world.clock = world.clock.adding(seconds: 60)
        _ = try world.job().run()
        #expect(discord.requests.count == 2)
        #expect(try world.journal.outboxRows().map(\.attempts) == [1])
    }
}
