/// The alert label values that route an alert to one host.
///
/// Configuration keys (snake_case):
///
/// ```yaml
/// routes:
///   labels:                # label name -> exact values naming this host
///     host: [db1, db1.example.net]
///     system: [postgres-main]
///     remediation_host: [db1]
///   instance_prefixes:     # an `instance` label starting with one of these routes here
///     - "db1:"
///     - "10.0.0.5:"
/// ```
///
/// Besides these explicit routes, the `remediation_host` and `host` labels route to the host
/// whose *name* they equal, and an `instance` label routes to the host whose name equals its
/// part before the port (`db1:9100` → `db1`). See `HostInventory.route(labels:)`.
public struct HostRoutes: Sendable, Codable, Equatable, Hashable {
    /// Label name → the exact values of that label that name this host.
    public var labels: [String: [String]]
    /// Prefixes of the `instance` label that name this host, e.g. `"db1:"`.
    public var instancePrefixes: [String]

    /// Creates a set of routes.
    ///
    /// - Parameters:
    ///   - labels: Label name → exact values naming the host.
    ///   - instancePrefixes: Prefixes of the `instance` label naming the host.
    public init(labels: [String: [String]] = [:], instancePrefixes: [String] = []) {
        self.labels = labels
        self.instancePrefixes = instancePrefixes
    }

    /// The configuration keys, in snake_case.
    public enum CodingKeys: String, CodingKey {
        case labels
        case instancePrefixes = "instance_prefixes"
    }

    /// Decodes routes; both keys are optional and default to empty.
    ///
    /// - Throws: `DecodingError` when a key has the wrong type.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        labels = try container.decodeIfPresent([String: [String]].self, forKey: .labels) ?? [:]
        instancePrefixes = try container.decodeIfPresent([String].self, forKey: .instancePrefixes) ?? []
    }
}
