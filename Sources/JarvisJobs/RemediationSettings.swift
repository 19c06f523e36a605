import JarvisCore

/// How jarvis acts on actionable alerts (`remediation:`).
public struct RemediationSettings: Sendable {
    /// What happens to commands that pass the policy (`execute`, `approve`, `dry-run`).
    public typealias Mode = RemediationMode

    /// [dry-run]: a new install never acts until someone says so.
    public var mode = Mode.dryRun
    /// `rules:`: label-matcher scopes with their own mode; with the host's own mode and
    /// `mode`, the most cautious that applies wins (`RemediationScope`).
    public var rules: [RemediationModeRule] = []
    /// A remediation is verified when its alert resolves within this many seconds [600].
    public var verificationWindow = 600.0
    /// At most this many commands started per rolling hour, all hosts together [20].
    public var actionsPerHour = 20
    /// Containers never restarted automatically (jarvis' own databases) [postgres-jarvis].
    public var protectedContainers = PolicyContext.defaultProtectedContainers
    /// systemd units never restarted automatically.
    public var protectedUnits = PolicyContext.defaultProtectedUnits
    /// The inventory host jarvis itself runs on: docker and network restarts are refused there.
    public var jarvisHost: String?
    /// Per-host changes to the action catalog.
    public var hostOverrides: [String: CatalogOverrides] = [:]
    /// Extra templates added to every host's catalog (for example a harmless test action).
    public var extraActions: [CommandTemplate] = []
    /// Most alerts remediated in one run; the rest wait for the next run [10].
    public var maxPerRun = 10
    /// Prometheus, for the optional verification checks (`/api/v1/query`).
    public var prometheusURL: String?
    /// alertname → PromQL expression with `{{label}}` placeholders; an empty result verifies
    /// the fix before the window is over.
    public var checks: [String: String] = [:]

    public init() {}
}

/// The LLM that diagnoses alerts no learned pattern covers (`llm:`); nil: tier 3 escalates.
public struct LLMSettings: Sendable {
    public enum Provider: String, Sendable {
        case anthropic
        /// Any OpenAI-compatible chat-completions endpoint (a local model).
        case openai
    }

    public var provider = Provider.anthropic
    public var model = "claude-sonnet-4-5"
    /// [https://api.anthropic.com]; for `openai`, the base URL including `/v1`.
    public var baseURL: String?
    public var apiKey: Secret<String>?
    public var limits = DiagnosisLimits()
    /// Offline answers: a JSON file of recorded provider responses by alertname, served
    /// instead of the network (the demo and tests use it; no request leaves the machine).
    public var replayFile: String?

    public init() {}
}
