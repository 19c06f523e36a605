/// One action proposed for an alert, by a learned pattern or by the LLM's `propose_plan`:
/// the name of an action-catalog template and the values of its parameters. Nothing here is
/// trusted: the command policy resolves it against the catalog (and rejects it with a reason)
/// before anything can run.
public struct ActionProposal: Sendable, Equatable, Hashable, Codable {
    /// The catalog template's name, e.g. `docker.restart`.
    public var action: String
    /// Parameter values by name, e.g. `["container": "nginx"]`.
    public var parameters: [String: String]
    /// The inventory host to run it on; nil means the alert's routed host.
    public var host: String?
    /// Why the proposer wants it (shown to people, never executed).
    public var rationale: String?

    public init(action: String, parameters: [String: String] = [:], host: String? = nil, rationale: String? = nil) {
        self.action = action
        self.parameters = parameters
        self.host = host
        self.rationale = rationale
    }
}
