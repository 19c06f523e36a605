/// Changes to the action catalog for one host (or for all hosts), from the configuration:
///
/// ```yaml
/// actions:
///   disable: [docker.builder-prune, certbot.renew]
///   templates:
///     - name: nginx.reload
///       argv: [systemctl, reload, nginx]
///       risk: low
/// ```
///
/// `templates` adds actions; one with the name of an existing action replaces it. `disable`
/// turns actions off (the policy then rejects them as disabled, not as unknown). Apply with
/// `ActionCatalog.merging(overrides:)`; check the result's `problems`.
public struct CatalogOverrides: Sendable, Equatable, Hashable, Codable {
    /// Names of the actions to turn off.
    public var disable: [String]
    /// Actions to add, or to replace by name.
    public var templates: [CommandTemplate]

    /// Creates overrides.
    ///
    /// - Parameters:
    ///   - disable: Names of the actions to turn off.
    ///   - templates: Actions to add or replace.
    public init(disable: [String] = [], templates: [CommandTemplate] = []) {
        self.disable = disable
        self.templates = templates
    }

    private enum CodingKeys: String, CodingKey { case disable, templates }

    /// Decodes overrides; both keys default to empty.
    ///
    /// - Throws: `DecodingError` when a key has the wrong type or a template is malformed.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        disable = try container.decodeIfPresent([String].self, forKey: .disable) ?? []
        templates = try container.decodeIfPresent([CommandTemplate].self, forKey: .templates) ?? []
    }
}
