/// A service in the dependency graph: where it runs, what it needs, and which alerts are
/// about it.
public struct ServiceDefinition: Sendable, Hashable, Codable {
    /// The service name, unique among services.
    public var name: String
    /// The host it runs on, if it runs on one known host; when that host is down (or
    /// behind a down node), so is the service.
    public var host: String?
    /// Services it needs (service → service dependencies).
    public var dependsOn: [String]
    /// Which alerts are about this service; empty means alerts whose `service` label is `name`.
    public var matchers: [LabelMatcher]

    /// Creates a service.
    /// - Parameters:
    ///   - name: the service name.
    ///   - host: the host it runs on, if any.
    ///   - dependsOn: the services it needs.
    ///   - matchers: which alerts are about it; empty means `service="<name>"`.
    public init(name: String, host: String? = nil, dependsOn: [String] = [], matchers: [LabelMatcher] = []) {
        self.name = name
        self.host = host
        self.dependsOn = dependsOn
        self.matchers = matchers
    }

    /// True when an alert with `labels` is about this service.
    /// - Parameter labels: an alert's labels.
    public func matches(_ labels: [String: String]) -> Bool {
        if matchers.isEmpty { return labels["service"] == name }
        return LabelMatcher.all(matchers, match: labels)
    }

    private enum CodingKeys: String, CodingKey { case name, host, dependsOn, matchers }

    /// Decodes a service; everything but `name` may be missing.
    /// - Throws: `DecodingError` for a missing name or an invalid matcher.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decode(String.self, forKey: .name)
        host = try c.decodeIfPresent(String.self, forKey: .host)
        dependsOn = try c.decodeIfPresent([String].self, forKey: .dependsOn) ?? []
        matchers = try c.decodeIfPresent([LabelMatcher].self, forKey: .matchers) ?? []
    }
}
