/// The actions jarvis may run: typed command templates by name, some of them turned off.
///
/// Anything that is not a catalog action is rejected by the command policy, whoever proposed
/// it. Start from `ActionCatalog.defaults` and apply a host's configuration with
/// `merging(overrides:)`; report `problems` when the configuration is loaded (the policy also
/// refuses, at run time, any template that has problems).
public struct ActionCatalog: Sendable, Equatable {
    /// The templates by name.
    public private(set) var templates: [String: CommandTemplate]
    /// Names turned off; they stay listed so that the policy can say "disabled".
    public private(set) var disabled: Set<String>
    /// Names given to more than one template when the catalog was built (the last one won).
    public private(set) var duplicateNames: [String]

    /// Creates a catalog.
    ///
    /// - Parameters:
    ///   - templates: The templates; for a name used twice, the last one wins and `problems`
    ///     reports it.
    ///   - disabled: Names turned off.
    public init(templates: [CommandTemplate], disabled: Set<String> = []) {
        var byName: [String: CommandTemplate] = [:]
        var duplicates: [String] = []
        for template in templates {
            if byName[template.name] != nil, !duplicates.contains(template.name) { duplicates.append(template.name) }
            byName[template.name] = template
        }
        self.templates = byName
        self.disabled = disabled
        self.duplicateNames = duplicates
    }

    /// The template of that name, whether or not it is disabled.
    ///
    /// - Parameter name: A template name such as `docker.restart`.
    public func template(named name: String) -> CommandTemplate? { templates[name] }

    /// True when the action is turned off.
    ///
    /// - Parameter name: A template name.
    public func isDisabled(_ name: String) -> Bool { disabled.contains(name) }

    /// The names of the actions that can run (not disabled), sorted.
    public var enabledNames: [String] { templates.keys.filter { !disabled.contains($0) }.sorted() }

    /// The enabled read-only diagnostics, sorted by name: the tools the LLM may call while it
    /// investigates (tier 3).
    public var readOnlyTemplates: [CommandTemplate] {
        enabledNames.compactMap { templates[$0] }.filter(\.isReadOnly)
    }

    /// This catalog with a host's (or the site's) overrides applied: `overrides.templates` are
    /// added or replace the template of the same name, and `overrides.disable` is added to the
    /// disabled names.
    ///
    /// - Parameter overrides: The configured changes.
    /// - Returns: The merged catalog; check its `problems`.
    public func merging(overrides: CatalogOverrides) -> ActionCatalog {
        var merged = self
        var seen: Set<String> = []
        for template in overrides.templates {
            if !seen.insert(template.name).inserted, !merged.duplicateNames.contains(template.name) {
                merged.duplicateNames.append(template.name)
            }
            merged.templates[template.name] = template
        }
        merged.disabled.formUnion(overrides.disable)
        return merged
    }

    /// Everything wrong with the catalog, sorted by action name: each template's `problems`,
    /// names defined twice, and disabled names that name no template (a typo would otherwise
    /// leave the action on).
    public var problems: [CatalogProblem] {
        var out: [CatalogProblem] = []
        for name in templates.keys.sorted() {
            for message in templates[name]?.problems ?? [] { out.append(CatalogProblem(action: name, message: message)) }
        }
        for name in duplicateNames.sorted() {
            out.append(CatalogProblem(action: name, message: "is defined more than once; the last definition is used"))
        }
        for name in disabled.sorted() where templates[name] == nil {
            out.append(CatalogProblem(action: name, message: "is disabled but no such action exists"))
        }
        return out
    }
}
