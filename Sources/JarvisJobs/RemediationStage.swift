import Foundation
import JarvisCore

/// The remediation stage of an ingest run: it settles what earlier runs left open (intents
/// with no outcome, verifications), then chooses a fix for each actionable alert, checks
/// every command against the policy, writes the intent, runs (or, in dry-run mode, only
/// records) the commands, and writes the outcome.
///
/// Order of trust: a plan comes from a tier-1 pattern or the LLM; each action must resolve to
/// a catalog template with valid parameters (the policy), a high-risk plan is parked for a
/// person, rate limits bound the blast radius, and the intent is on disk before anything runs.
/// An intent without an outcome is never run again: it is escalated.
public struct RemediationStage {
    public var configuration: JarvisConfiguration
    public var journal: any RemediationJournal
    public var executor: any RemediationExecutor
    /// The locks that keep one action per host at a time across processes.
    public var locks: any ProcessLocks
    /// Builds the diagnosis agent for one alert; nil when no LLM is configured.
    public var agent: ((Alert) throws -> DiagnosisAgent)?
    public var now: () -> Timestamp
    /// When this run started: intents older than this without an outcome belong to a run that died.
    public var runStartedAt: Timestamp
    /// Asks Prometheus for the optional verification checks; nil: no checks.
    public var http: (any HTTPTransport)?
    /// Claims and the shared action budget (PostgreSQL configured); nil: this runner alone.
    public var coordination: (any RunnerCoordination)?
    /// Every runner's failed attempts (PostgreSQL configured); nil: this runner's alone.
    public var learning: (any SharedLearning)?
    /// Told about host state changes that remediation and diagnostic sessions cause; nil: logged nowhere.
    public var hostNotifier: (any HostNotifier)?

    public init(
        configuration: JarvisConfiguration, journal: any RemediationJournal, executor: any RemediationExecutor, locks: any ProcessLocks,
        agent: ((Alert) throws -> DiagnosisAgent)?, now: @escaping () -> Timestamp, runStartedAt: Timestamp
    ) {
        self.configuration = configuration
        self.journal = journal
        self.executor = executor
        self.locks = locks
        self.agent = agent
        self.now = now
        self.runStartedAt = runStartedAt
    }

    /// One thing the stage did, for the summary and notifications.
    public struct Item: Sendable {
        public enum Kind: String, Sendable {
            /// Commands ran and exited 0; verification pending.
            case remediated
            /// Dry-run: the commands passed the policy and would have run.
            case planned
            /// A command failed, or the LLM failed.
            case failed
            /// The policy refused the plan.
            case rejected
            /// Parked for a person (high risk, no LLM, rate limit) or an outcome that is unknown.
            case escalated
            /// A later run settled the verification.
            case verified
            case verificationFailed = "verification-failed"
            case unverified
            /// Another runner claimed the attempt: this one did nothing.
            case deduplicated
        }

        public var kind: Kind
        /// The attempt's key (`remediation/…`).
        public var key: String
        /// The occurrence (`fingerprint@startsAt`).
        public var occurrence: String
        public var alertKey: String
        public var alertname: String
        public var host: String
        public var tier: Int
        public var commands: [String]
        public var reason: String
        /// The local id (`jarvis approve ID`).
        public var id: Int64?
        public var critical: Bool
    }

    public struct Report: Sendable {
        public var items: [Item] = []
        /// Actionable alerts left for the next run (past `maxPerRun`).
        public var deferred = 0
        /// What the learning engine made of the outcomes settled this run.
        public var learning: LearnReport?
    }

    var policy: CommandPolicy {
        RemediationCatalog(configuration: configuration).policy
    }

    var journaled: Bool { !configuration.isEmbedded }

    /// Runs the stage over the run's triaged alerts; records attempts in `session`'s budgets.
    public func run(session: inout TriageSession) throws -> Report {
        var report = Report()
        try settle(into: &report)
        // Outcomes settled now (and by earlier runs or `jarvis approve`) teach before the
        // next fix is chosen: a fix learned in one run is used in the next. With PostgreSQL
        // configured it alone counts outcomes (SharedLearningJob, after the flush).
        if !journaled {
            let learning = try journal.learn(forward: false, now: now(), runner: configuration.runner, shouldStop: { false })
            if learning.outcomes > 0 { report.learning = learning }
        }
        let actionable = session.triaged.filter { $0.outcome.decision == .actionable }
        report.deferred = max(0, actionable.count - configuration.remediation.maxPerRun)
        guard !actionable.isEmpty else { return report }
        let index = PatternIndex(try journal.patterns())
        for item in actionable.prefix(configuration.remediation.maxPerRun) {
            if let done = try remediate(item, patterns: index, session: &session) { report.items.append(done) }
        }
        return report
    }

    /// Settles what earlier runs left: intents without outcome, pending verifications.
    func settle(into report: inout Report) throws {
        let time = now()
        for var record in try journal.remediations(where: .intentWithoutOutcome, limit: 1000) where record.intentAt < runStartedAt {
            record.outcome = .unknown
            record.outcomeAt = time
            record.escalated = true
            record.verification = .notApplicable
            record.error = Self.unknownOutcome
            try journal.updateRemediation(record, forward: journaled, now: time)
            report.items.append(item(.escalated, record, reason: record.error ?? ""))
        }
        let rule = VerificationRule(window: configuration.remediation.verificationWindow)
        for var record in try journal.remediations(where: .awaitingVerification, limit: 1000) {
            var evidence = VerificationEvidence(resolvedAt: try journal.resolvedAt(occurrence: record.occurrenceKey))
            if evidence.resolvedAt == nil { evidence.prometheus = try prometheusCheck(record) }
            let verdict = rule.evaluate(attemptAt: record.outcomeAt ?? record.intentAt, evidence: evidence, now: time)
            guard verdict != .pending else { continue }
            record.verification = verdict
            try journal.settleVerification(record, forward: journaled, now: time)
            switch verdict {
            case .verified:
                let learned = record.tier == FixTier.tier1.rawValue ? " (\(record.planSummary))" : ""
                report.items.append(item(.verified, record, reason: "the alert resolved after the fix" + learned))
            case .failed: report.items.append(item(.verificationFailed, record, reason: "the alert did not resolve within the verification window"))
            default: report.items.append(item(.unverified, record, reason: "no signal could verify the fix"))
            }
        }
    }

    /// The configured Prometheus check for the attempt's alert: nil when none is configured
    /// (or its labels are missing), `unreachable` when Prometheus cannot answer.
    func prometheusCheck(_ record: RemediationRecord) throws -> VerificationEvidence.PrometheusCheck? {
        let settings = configuration.remediation
        guard let base = settings.prometheusURL, let template = settings.checks[record.alertname], let http else { return nil }
        guard let labels = try journal.labels(occurrence: record.occurrenceKey),
            let expression = PrometheusCheckQuery.expression(template, labels: labels)
        else { return nil }
        do {
            return PrometheusCheckQuery.verdict(try http.send(PrometheusCheckQuery.request(baseURL: base, expression: expression, timeout: 10)))
        } catch {
            return .unreachable
        }
    }

    /// Chooses, checks and runs the fix for one actionable alert.
    func remediate(_ triaged: TriageSession.Triaged, patterns: PatternIndex, session: inout TriageSession) throws -> Item? {
        guard case .host(let hostName) = triaged.host, let host = configuration.inventory.host(named: hostName) else { return nil }
        let alert = triaged.alert
        let time = now()
        var record = RemediationRecord(
            key: "", occurrenceKey: alert.occurrence.description, alertKey: alert.alertKey.description, alertname: alert.alertname,
            host: host.name, tier: FixTier.tier3.rawValue, intentAt: time, runner: configuration.runner)
        let critical = Escalation.isCritical(alert.labels)
        // 0. The attempt's key, claimed in PostgreSQL when it is configured (see +Claims).
        if case .done(let item) = try startAttempt(triaged, record: &record, critical: critical, session: &session) { return item }
        let scope = scope(for: alert.labels, on: host)
        let policy = self.policy
        let context = context(for: host, labels: alert.labels)

        // 1. A plan: a tier-1 pattern runs as is; otherwise the LLM diagnoses (with the pattern
        //    as a hint at tier 2, and the command sets that failed for this alert); with no
        //    LLM, a person gets the suggestion.
        let symptom = SymptomFingerprint(labels: alert.labels)
        try journal.recordFingerprint(symptom, forward: journaled, now: time)
        let failed = try failedCommandSets(alertKey: alert.alertKey.description)
        let exhausted = Set(failed.filter { $0.failures >= PatternLearning.failureLimit }.map { PatternCommands.key($0.actions) })
        let choice = PatternChoice.choose(patterns.matches(for: alert, fingerprint: symptom, now: time), for: alert, exhausted: exhausted) {
            policy.evaluate($0, host: host, context: context).rejection == nil
        }
        let tier = choice.chosen?.match.tier ?? .tier3
        record.tier = tier.rawValue
        record.patternID = choice.chosen?.match.pattern.id
        var proposals: [ActionProposal]
        if tier == .tier1, let chosen = choice.chosen {
            proposals = chosen.proposals
            record.planSummary =
                "learned fix (pattern #\(chosen.match.pattern.id), \(chosen.match.pattern.evidence)): \(chosen.match.pattern.summary)"
        } else if let agent {
            var request = DiagnosisRequest(alert: alert, host: host.name)
            if tier == .tier2, let chosen = choice.chosen {
                request.hint = DiagnosisHint(
                    actions: chosen.proposals, confidence: chosen.match.confidence, verifiedSuccesses: chosen.match.pattern.successes,
                    similarFixes: choice.similar.map {
                        DiagnosisHint.PastFix(actions: $0.proposals, similarity: $0.match.similarity, evidence: $0.match.pattern.evidence)
                    })
            }
            request.failedPlans = failed.map { DiagnosisRequest.FailedPlan(actions: $0.actions, failures: $0.failures) }
            let result = try agent(alert).diagnose(request, runner: diagnostics(for: host, dryRun: scope.mode == .dryRun))
            switch result {
            case .plan(let plan, let trace):
                proposals = plan.actions
                record.planSummary = "LLM: " + plan.summary
                record.recordUsage(trace)
            case .failed(let failure, let trace):
                record.recordUsage(trace)
                return try finishWithoutRunning(
                    &record, outcome: .failed, error: "LLM diagnosis failed: \(failure)", kind: .failed, session: &session, alertKey: alert.alertKey,
                    critical: critical)
            }
        } else {
            let suggestion =
                choice.chosen.map {
                    " Suggested by pattern #\($0.match.pattern.id) (\($0.match.pattern.evidence)): "
                        + $0.proposals.map(Self.describe).joined(separator: "; ")
                } ?? ""
            return try finishWithoutRunning(
                &record, outcome: .escalated, error: "no learned pattern is trusted enough and no LLM is configured.\(suggestion)",
                kind: .escalated, session: &session, alertKey: alert.alertKey, critical: critical)
        }
        let planKey = PatternCommands.key(proposals.map { ActionProposal(action: $0.action, parameters: $0.parameters) })
        if exhausted.contains(planKey) {
            record.commandsJSON = "[]"
            return try finishWithoutRunning(
                &record, outcome: .escalated,
                error:
                    "the plan \(proposals.map(Self.describe).joined(separator: "; ")) failed \(PatternLearning.failureLimit) times for this alert already; a person must decide",
                kind: .escalated, session: &session, alertKey: alert.alertKey, critical: critical)
        }
        guard !proposals.isEmpty else {
            return try finishWithoutRunning(
                &record, outcome: .escalated, error: "the plan has no actions", kind: .escalated, session: &session, alertKey: alert.alertKey,
                critical: critical)
        }

        // 2. The policy: every action must resolve to a catalog template; one refusal refuses
        //    the plan (half a plan is not safer than none).
        var commands: [ResolvedCommand] = []
        var approvals: [String] = []
        if scope.rule != "remediation.mode" { record.planSummary += " [mode \(scope.mode) by \(scope.rule)]" }
        if scope.mode == .approve { approvals.append("remediation mode approve (\(scope.rule)): every plan waits for a person") }
        for proposal in proposals {
            switch policy.evaluate(proposal, host: host, context: context) {
            case .allowed(let command): commands.append(command)
            case .needsApproval(let command, let reason):
                commands.append(command)
                approvals.append(reason)
            case .rejected(let rejection):
                record.commandsJSON = Self.json(commands)
                return try finishWithoutRunning(
                    &record, outcome: .rejected, error: "\(Self.describe(proposal)) rejected: \(rejection)", kind: .rejected,
                    session: &session, alertKey: alert.alertKey, critical: critical)
            }
        }
        record.commandsJSON = Self.json(commands)
        if !approvals.isEmpty {
            record.approval = .awaiting
            return try finishWithoutRunning(
                &record, outcome: .pending, error: "needs approval: " + approvals.joined(separator: "; "), kind: .escalated,
                session: &session, alertKey: alert.alertKey, critical: critical, countsAsAttempt: false)
        }

        // 3. Rate limits.
        let budget = ActionBudget(globalLimit: configuration.remediation.actionsPerHour)
        let recent = try journal.actionsStarted(since: time.adding(seconds: -budget.window))
        let verdict = budget.check(host: host.name, hostsInFlight: [], recentActions: recent, now: time)
        if let reason = verdict.reason {
            return try finishWithoutRunning(
                &record, outcome: .escalated, error: reason, kind: .escalated, session: &session, alertKey: alert.alertKey, critical: critical)
        }

        // 4. One action at a time per host, across processes (an ingest and an approve).
        guard let hostLock = try locks.acquire(configuration.lockPath("remediate-\(host.name)"), timeout: 0) else {
            return try finishWithoutRunning(
                &record, outcome: .escalated, error: "another action is running on \(host.name) (one at a time per host)", kind: .escalated,
                session: &session, alertKey: alert.alertKey, critical: critical)
        }
        defer { hostLock.release() }
        var reserved = false
        if let reason = reserveSharedAction(record, reserved: &reserved) {
            return try finishWithoutRunning(
                &record, outcome: .escalated, error: reason, kind: .escalated, session: &session, alertKey: alert.alertKey, critical: critical)
        }
        defer { if reserved { coordination?.releaseHost(host.name) } }

        // 5. Write-ahead intent, then run, then the outcome.
        guard try journal.recordIntent(record, forward: journaled, now: time) else { return nil }
        session.recordAttempt(alertKey: alert.alertKey, at: time)
        return try run(commands, on: host, recording: &record, reason: record.planSummary, critical: critical, dryRun: scope.mode == .dryRun)
    }

    /// After the intent is on disk: runs the commands (or, in dry-run mode, only records
    /// them) and writes the outcome; a success waits for verification.
    func run(
        _ commands: [ResolvedCommand], on host: HostDefinition, recording record: inout RemediationRecord, reason: String, critical: Bool,
        dryRun: Bool
    ) throws -> Item {
        if dryRun {
            record.outcome = .dryRun
            record.outcomeAt = now()
            record.verification = .notApplicable
            try journal.updateRemediation(record, forward: journaled, now: now())
            return item(.planned, record, commands: commands, reason: reason + " (dry-run: nothing executed)", critical: critical)
        }
        let result = runAll(commands, on: host)
        record.outcomeAt = now()
        record.exitStatus = result.exitStatus
        record.stdout = result.stdout
        record.stderr = result.stderr
        if let failure = result.failure {
            record.outcome = .failed
            record.verification = .notApplicable
            record.error = failure
            try journal.updateRemediation(record, forward: journaled, now: now())
            return item(.failed, record, commands: commands, reason: failure, critical: critical)
        }
        record.outcome = .succeeded
        record.verification = .pending
        try journal.updateRemediation(record, forward: journaled, now: now())
        return item(.remediated, record, commands: commands, reason: reason, critical: critical)
    }

    /// Runs the commands in order, stopping at the first that fails.
    func runAll(_ commands: [ResolvedCommand], on host: HostDefinition) -> (exitStatus: Int?, stdout: String, stderr: String, failure: String?) {
        var stdout = ""
        var stderr = ""
        var exitStatus: Int?
        for command in commands {
            let result = guardedExecutor.execute(command, on: host, timeout: configuration.ssh.commandTimeout)
            stdout += String(result.stdout.prefix(2048))
            stderr += String(result.stderr.prefix(2048))
            exitStatus = result.exitStatus
            if !result.succeeded {
                let failure = result.error ?? "\(command.commandLine) exited \(result.exitStatus.map(String.init) ?? "?")"
                return (exitStatus, String(stdout.prefix(4096)), String(stderr.prefix(4096)), failure)
            }
        }
        return (exitStatus, String(stdout.prefix(4096)), String(stderr.prefix(4096)), nil)
    }

    /// Records an attempt that ran nothing (rejected, escalated, LLM failure).
    func finishWithoutRunning(
        _ record: inout RemediationRecord, outcome: RemediationOutcome, error: String, kind: Item.Kind, session: inout TriageSession,
        alertKey: AlertKey,
        critical: Bool, countsAsAttempt: Bool = true
    ) throws -> Item? {
        let time = now()
        record.outcome = outcome
        record.outcomeAt = outcome == .pending ? nil : time
        record.verification = .notApplicable
        record.escalated = kind == .escalated
        record.error = error
        guard try journal.recordIntent(record, forward: journaled, now: time) else { return nil }
        if countsAsAttempt { session.recordAttempt(alertKey: alertKey, at: time) }
        return item(kind, record, reason: error, critical: critical)
    }

    func item(_ kind: Item.Kind, _ record: RemediationRecord, commands: [ResolvedCommand]? = nil, reason: String, critical: Bool = false) -> Item {
        let lines = commands.map { $0.map(\.commandLine) } ?? Self.commandLines(record.commandsJSON)
        return Item(
            kind: kind, key: record.key, occurrence: record.occurrenceKey, alertKey: record.alertKey, alertname: record.alertname, host: record.host,
            tier: record.tier, commands: lines,
            reason: reason, id: try? journal.remediationID(key: record.key), critical: critical)
    }

    /// Read-only catalog actions the LLM may call while diagnosing, run through the policy.
    func diagnostics(for host: HostDefinition, dryRun: Bool) -> any DiagnosticRunner {
        PolicyCheckedDiagnostics(policy: policy, host: host, context: context(for: host), executor: guardedExecutor, dryRun: dryRun)
    }

    static func describe(_ proposal: ActionProposal) -> String {
        let parameters = proposal.parameters.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value.debugDescription)" }
        return proposal.action + (parameters.isEmpty ? "" : "(" + parameters.joined(separator: ", ") + ")")
    }

    /// `[{"action": …, "parameters": {…}, "argv": […]}]`: what ran (argv) and what it was
    /// resolved from (so `jarvis approve` can check it against the policy again).
    static func json(_ commands: [ResolvedCommand]) -> String {
        StoredCommand.json(commands.map(StoredCommand.init))
    }

    /// The proposals stored in a record's commands.
    static func proposals(_ json: String, host: String) -> [ActionProposal] {
        StoredCommand.decode(json).map { ActionProposal(action: $0.action, parameters: $0.parameters, host: host) }
    }

    static func commandLines(_ json: String) -> [String] {
        StoredCommand.decode(json).map { (try? ShellQuoting.quote($0.argv)) ?? $0.argv.joined(separator: " ") }
    }
}

/// Runs the LLM's diagnostic tool calls: each must be a read-only catalog action that the
/// policy allows on this host; anything else is answered with the refusal, never run.
struct PolicyCheckedDiagnostics: DiagnosticRunner {
    let policy: CommandPolicy
    let host: HostDefinition
    let context: PolicyContext
    let executor: any RemediationExecutor
    let dryRun: Bool

    func run(tool: String, parameters: [String: String], timeout: Double) -> DiagnosticResult {
        let verdict = policy.evaluate(ActionProposal(action: tool, parameters: parameters), host: host, context: context)
        guard case .allowed(let command) = verdict else {
            return DiagnosticResult(
                text: "refused by jarvis' command policy: \(verdict.rejection.map { "\($0)" } ?? "needs approval")", isError: true)
        }
        guard command.readOnly else {
            return DiagnosticResult(text: "refused: \(tool) changes the system; propose it in propose_plan instead", isError: true)
        }
        if dryRun { return DiagnosticResult(text: "(dry-run: \(command.commandLine) was not run)") }
        let outcome = executor.execute(command, on: host, timeout: min(timeout, 30))
        if let error = outcome.error { return DiagnosticResult(text: "failed: \(error)", isError: true) }
        return DiagnosticResult(
            text: "exit \(outcome.exitStatus.map(String.init) ?? "?")\nstdout:\n\(outcome.stdout)\nstderr:\n\(outcome.stderr)",
            isError: outcome.exitStatus != 0)
    }
}

extension RemediationRecord {
    /// Tokens and estimated cost of every LLM call of a diagnosis.
    mutating func recordUsage(_ trace: DiagnosisTrace) {
        tokensIn = trace.usage.reduce(0) { $0 + $1.inputTokens }
        tokensOut = trace.usage.reduce(0) { $0 + $1.outputTokens }
        costUSD = trace.usage.reduce(0) { $0 + $1.estimatedCostUSD }
    }
}
