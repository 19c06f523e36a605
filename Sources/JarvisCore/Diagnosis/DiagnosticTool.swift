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
    public var parameters: [String: String] = [:]
    /// The parameters the model must give; nil means all of them.
    public var required: [String]?
}

/// A remediation action the model may put in its plan, as the catalog describes it. Only shown
/// to the model (in the system prompt and as the `action` enum of `propose_plan`); the command
/// policy checks the plan against the catalog itself afterwards.
public struct PlanActionDescription: Sendable, Equatable {
    /// The catalog name, e.g. `docker.restart`.
    public var name: String
    public var description: String
    /// Parameter descriptions by parameter name.
    public var parameters: [String: String] = [:]
    /// The catalog's risk level, e.g. `low`.
    public var risk: String
}

extension DiagnosticTool {
    /// The tool that runs a read-only catalog template; every placeholder is required.
    public init(_ template: CommandTemplate) {
        self.init(
            name: template.name, description: template.modelDescription, parameters: template.parameterDescriptions,
            required: template.placeholderNames)
    }
}

extension PlanActionDescription {
    /// How an enabled catalog template is described in `propose_plan`.
    public init(_ template: CommandTemplate) {
        self.init(
            name: template.name, description: template.modelDescription, parameters: template.parameterDescriptions,
            risk: template.risk.rawValue)
    }
}

extension CommandTemplate {
    /// The summary and the argv it runs, as the model is shown them.
    fileprivate var modelDescription: String { "\(summary) (runs: \(argv.joined(separator: " ")))" }
    /// Each parameter's pattern, described, by parameter name.
    fileprivate var parameterDescriptions: [String: String] { parameters.mapValues { "\($0)" } }
}
