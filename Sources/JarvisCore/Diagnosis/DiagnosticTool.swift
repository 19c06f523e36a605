/// A read-only diagnostic the model may run while it diagnoses, e.g. `docker.logs {container}`.
/// The list comes from the action catalog's read-only templates; the model sees the name,
/// the description and one string parameter per entry of `parameters`.
public struct DiagnosticTool: Sendable, Equatable {
    /// The catalog name, e.g. `docker.logs`. Names that providers do not accept as tool names
    /// (anything outside `[a-zA-Z0-9_-]`, longer than 64) are offered under a sanitized name
    /// and mapped back before the `DiagnosticRunner` sees them.
    public var name: String
    public var description: String
    /// Parameter descriptions by parameter name.
    public var parameters: [String: String]
    /// The parameters the model must give; nil means all of them.
    public var required: [String]?

    public init(name: String, description: String, parameters: [String: String] = [:], required: [String]? = nil) {
        self.name = name
        self.description = description
        self.parameters = parameters
        self.required = required
    }
}

/// A remediation action the model may put in its plan, as the catalog describes it. Only shown
/// to the model (in the system prompt and as the `action` enum of `propose_plan`); the command
/// policy checks the plan against the catalog itself afterwards.
public struct PlanActionDescription: Sendable, Equatable {
    /// The catalog name, e.g. `docker.restart`.
    public var name: String
    public var description: String
    /// Parameter descriptions by parameter name.
    public var parameters: [String: String]
    /// The catalog's risk level, e.g. `low`.
    public var risk: String

    public init(name: String, description: String, parameters: [String: String] = [:], risk: String) {
        self.name = name
        self.description = description
        self.parameters = parameters
        self.risk = risk
    }
}
