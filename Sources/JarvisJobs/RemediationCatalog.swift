import JarvisCore

/// The action catalog as configured: the defaults, plus `remediation.actions`, with
/// `remediation.hosts` overrides per host; and what the LLM is told about it.
public struct RemediationCatalog: Sendable {
    public var catalog: ActionCatalog
    public var hostOverrides: [String: CatalogOverrides]

    public init(configuration: JarvisConfiguration) {
        let extras = configuration.remediation.extraActions
        catalog = extras.isEmpty ? .defaults : ActionCatalog.defaults.merging(overrides: CatalogOverrides(templates: extras))
        hostOverrides = configuration.remediation.hostOverrides
    }

    /// The command policy over this catalog.
    public var policy: CommandPolicy { CommandPolicy(catalog: catalog, hostOverrides: hostOverrides) }

    /// Read-only actions, offered to the LLM as diagnostic tools.
    public var diagnosticTools: [DiagnosticTool] {
        catalog.readOnlyTemplates.map { DiagnosticTool($0) }
    }

    /// Every enabled action, for the `propose_plan` tool's description.
    public var planActions: [PlanActionDescription] {
        catalog.enabledNames.compactMap { catalog.template(named: $0) }.map { PlanActionDescription($0) }
    }
}
