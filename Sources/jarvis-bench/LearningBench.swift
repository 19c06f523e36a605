import Foundation
import GRDB
import JarvisCore
import JarvisJobs
import JarvisSQLite
import JarvisSpool
import JarvisTestSupport

/// The simulated world of `jarvis-bench learning`: an alert resolves only when its one
/// correct fix ran. Records what each ingest ran.
final class SimulatedWorld: RemediationExecutor, @unchecked Sendable {
    private let lock = NSLock()
    private var ran: [[String]] = []

    func execute(_ command: ResolvedCommand, on host: HostDefinition, timeout: Double) -> ExecutionOutcome {
        lock.lock()
        defer { lock.unlock() }
        ran.append(command.argv)
        return ExecutionOutcome(exitStatus: 0, stdout: "ok")
    }

    /// What ran since the last call.
    func take() -> [[String]] {
        lock.lock()
        defer { lock.unlock() }
        defer { ran = [] }
        return ran
    }
}

/// One recurring fault: its labels, its correct fix and a plausible wrong catalog action.
struct Fault {
    var labels: [String: String]
    var right: ActionProposal
    var wrong: ActionProposal
    var rightArgv: [String]
}

/// `jarvis-bench learning [REPEATS]`: a stream of recurring faults of four kinds (container,
/// systemd unit, disk, VPN), each with one correct catalog fix, through full in-process ingest
/// runs (spool → triage → remediation → verification → learning) with the stand-in Anthropic
/// server over loopback HTTP, which proposes the right fix 90 % of the time and a plausible
/// wrong catalog action otherwise. Reports the share of repeat incidents fixed with no LLM
/// call, wrong actions run at tier 1, promotions without a verified outcome, and LLM tokens saved.
func learningQualityBenchmark(repeats: Int) throws {
    let dir = try TemporaryDirectory("jarvis-bench-learning")
    var configuration = JarvisConfiguration()
    configuration.spoolDir = dir.path + "/spool"
    configuration.stateDir = dir.path + "/state"
    configuration.runner = "bench"
    configuration.remediation.mode = .execute
    configuration.remediation.verificationWindow = 600
    configuration.remediation.actionsPerHour = 1_000_000
    configuration.triage.flapping.window = 1000
    configuration.triage.attempts.limit = 100
    configuration.hosts = [HostDefinition(name: "vps", address: "192.0.2.2")]
    try FileManager.default.createDirectory(atPath: configuration.stateDir, withIntermediateDirectories: true)
    let spool = try SpoolDirectory(root: configuration.spoolDir)
    let journal = try JournalDatabase(path: configuration.journalPath)
    let world = SimulatedWorld()
    let server = try StandInAnthropicServer()
    defer { server.stop() }
    let provider = AnthropicProvider(model: "claude-test", baseURL: server.baseURL, apiKey: Secret("bench"))
    let catalog = RemediationCatalog(configuration: configuration)
    // Simulated time: a minute between notifications, and the verification window passes
    // when the world leaves an alert firing.
    let clock = AdvancingTestClock(start: Timestamp(seconds: 1_800_000_000))

    var faults: [Fault] = []
    for c in 0..<4 {
        let name = "app\(c)"
        faults.append(
            Fault(
                labels: ["alertname": "AppContainerDown", "container": name, "host": "vps", "instance": "vps-\(name)", "severity": "warning"],
                right: ActionProposal(action: "docker.restart", parameters: ["container": name]),
                wrong: ActionProposal(action: "docker.start", parameters: ["container": name]), rightArgv: ["docker", "restart", name]))
    }
    for u in 0..<3 {
        let unit = "worker\(u).service"
        faults.append(
            Fault(
                labels: ["alertname": "UnitFailed", "name": unit, "service": "worker\(u)", "host": "vps", "instance": "vps-\(unit)"],
                right: ActionProposal(action: "systemctl.restart", parameters: ["unit": unit]),
                wrong: ActionProposal(action: "journalctl.unit", parameters: ["unit": unit, "lines": "50"]),
                rightArgv: ["systemctl", "restart", unit]))
    }
    for d in ["/", "/var"] {
        faults.append(
            Fault(
                labels: ["alertname": "DiskFull", "filesystem": d, "device": "sda\(d.count)", "host": "vps", "instance": "vps-disk\(d.count)"],
                right: ActionProposal(action: "docker.image-prune"), wrong: ActionProposal(action: "docker.builder-prune"), rightArgv: []))
    }
    for i in ["wg0", "wg1"] {
        faults.append(
            Fault(
                labels: ["alertname": "TunnelDown", "interface": i, "system": "vpn", "host": "vps", "instance": "vps-\(i)"],
                right: ActionProposal(action: "wireguard.restart", parameters: ["interface": i]),
                wrong: ActionProposal(action: "wireguard.show", parameters: ["interface": i]), rightArgv: []))
    }
    func rightRan(_ fault: Fault, _ ran: [[String]]) -> Bool {
        let policy = catalog.policy
        let context = PolicyContext(protectedContainers: [], protectedUnits: [], targetIsJarvisHost: false)
        guard let argv = policy.evaluate(fault.right, host: "vps", context: context).command?.argv else { return false }
        return ran.contains(argv)
    }

    func ingest(_ labels: [String: String], _ status: String, startsAt: Timestamp) throws -> IngestReport {
        let object: [String: Any] = [
            "status": status, "labels": labels, "annotations": ["summary": "simulated"], "startsAt": startsAt.rfc3339,
            "endsAt": status == "resolved" ? startsAt.adding(seconds: 60).rfc3339 : "0001-01-01T00:00:00Z",
        ]
        try spool.enqueue(try JSONSerialization.data(withJSONObject: ["version": "4", "receiver": "jarvis", "alerts": [object]]))
        clock.advance(by: 60)
        var job = IngestJob(
            configuration: configuration, spool: spool, journal: { journal }, now: { clock.now() }, connectStore: nil, executor: world,
            locks: FileLocks())
        let limits = configuration.llm?.limits ?? DiagnosisLimits()
        job.agent = { _ in
            DiagnosisAgent(
                provider: provider, transport: LoopbackHTTPTransport(), sleeper: RecordingClockSleeper(), now: { clock.now() },
                tools: catalog.diagnosticTools, actions: catalog.planActions, limits: limits)
        }
        return try job.run()
    }

    var random = SeededRandom(seed: 2026)
    var repeatsTotal = 0
    var repeatsTier1Fixed = 0
    var tier1Runs = 0
    var wrongAtTier1 = 0
    var llmCalls = 0
    var seen: Set<String> = []
    var n = 0
    for round in 0..<repeats {
        for fault in faults {
            n += 1
            let startsAt = clock.peek
            let correct = random.next(below: 10) < 9
            server.fallback = .proposePlan(actions: [correct ? fault.right : fault.wrong], summary: "simulated diagnosis")
            let before = server.requests.count
            _ = world.take()
            let fired = try ingest(fault.labels, "firing", startsAt: startsAt)
            let ran = world.take()
            let calls = server.requests.count - before
            llmCalls += calls
            let tier = fired.remediation?.items.first { $0.kind == .remediated }?.tier
            let fixed = rightRan(fault, ran)
            let key = fault.labels["instance"] ?? ""
            let isRepeat = !seen.insert(key).inserted
            if tier == 1 {
                tier1Runs += 1
                if !fixed { wrongAtTier1 += 1 }
            }
            if isRepeat {
                repeatsTotal += 1
                if tier == 1 && fixed && calls == 0 { repeatsTier1Fixed += 1 }
            }
            // The world: the alert resolves only when the right fix ran; otherwise the
            // verification window passes first (a person fixes it later).
            if !fixed { clock.advance(by: configuration.remediation.verificationWindow + 60) }
            _ = try ingest(fault.labels, "resolved", startsAt: startsAt)
            _ = round
        }
    }
    // Promotions whose outcome was not verified.
    let unverifiedPromotions = try journal.read { db in
        try Int.fetchOne(
            db,
            sql: """
                SELECT count(*) FROM pattern_events e LEFT JOIN remediation_log r ON r.idempotency_key = e.remediation_key
                WHERE e.kind = 'promoted' AND (r.verification IS NULL OR r.verification != 'verified')
                """) ?? 0
    }
    let promotions = try journal.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM pattern_events WHERE kind = 'promoted'") ?? 0 }
    let tokensPerCall = try journal.read { db in
        try Double.fetchOne(
            db, sql: "SELECT avg(llm_tokens_in + llm_tokens_out) FROM remediation_log WHERE tier > 1 AND llm_tokens_in > 0") ?? 0
    }
    let incidents = repeats * faults.count
    print("faults=\(faults.count) incidents=\(incidents) repeat_incidents=\(repeatsTotal) llm_calls=\(llmCalls) (all-LLM baseline: \(incidents))")
    print(
        "repeat_incidents_fixed_without_llm=\(String(format: "%.1f", 100 * Double(repeatsTier1Fixed) / Double(max(repeatsTotal, 1))))% (\(repeatsTier1Fixed)/\(repeatsTotal); target >= 85%)"
    )
    print("wrong_actions_at_tier1=\(wrongAtTier1) of \(tier1Runs) tier-1 runs (target 0)")
    print("promotions_without_verified_outcome=\(unverifiedPromotions) of \(promotions) promotions (target 0)")
    print("llm_tokens_saved=\(Int(Double(tier1Runs) * tokensPerCall)) (\(tier1Runs) tier-1 fixes x \(Int(tokensPerCall)) tokens per diagnosis)")
}
