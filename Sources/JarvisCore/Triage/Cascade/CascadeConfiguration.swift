/// The cascade part of the configuration: the dependency graph beyond host parents, the
/// alerts that are root causes, and Alertmanager-style inhibit rules.
///
/// Host parents come from the host inventory and are passed to `CascadeGraph` beside this.
/// See `CascadeConfiguration.specExample` for the spec's defaults written in this form.
public struct CascadeConfiguration: Sendable, Equatable, Codable {
    /// Labels naming the host an alert is about, first non-empty wins; used when the caller
    /// has not routed the alert to a host [`host`, `remediation_host`, `system`].
    public var hostLabels: [String]
    /// Alerts that mean a node is down, in priority order (the first that matches counts).
    public var signals: [RootCauseSignal]
    /// Services and their hosts and dependencies.
    public var services: [ServiceDefinition]
    /// Host name → services the host needs to be reachable (e.g. a VPS behind a tunnel:
    /// `["vps": ["wireguard"]]`). Host → host dependencies are the inventory's parents.
    public var hostDependencies: [String: [String]]
    /// Inhibit rules, checked after the graph, in order.
    public var inhibitRules: [InhibitRule]

    /// The default host labels.
    public static let defaultHostLabels = ["host", "remediation_host", "system"]

    /// Creates a configuration; the default is an empty graph (no cascade suppression).
    /// - Parameters:
    ///   - hostLabels: labels naming an alert's host when it was not routed.
    ///   - signals: root-cause signals.
    ///   - services: services.
    ///   - hostDependencies: host → services it needs.
    ///   - inhibitRules: inhibit rules.
    public init(
        hostLabels: [String] = CascadeConfiguration.defaultHostLabels, signals: [RootCauseSignal] = [],
        services: [ServiceDefinition] = [], hostDependencies: [String: [String]] = [:], inhibitRules: [InhibitRule] = []
    ) {
        self.hostLabels = hostLabels
        self.signals = signals
        self.services = services
        self.hostDependencies = hostDependencies
        self.inhibitRules = inhibitRules
    }

    /// Every reference that points nowhere, one line each: a service dependency, a host
    /// dependency or a fixed signal node naming an undeclared service, a duplicate service
    /// name. Empty when the configuration is consistent.
    public var problems: [String] {
        var out: [String] = []
        var seen = Set<String>()
        for service in services where !seen.insert(service.name).inserted {
            out.append("cascade.services: \"\(service.name)\" is declared twice")
        }
        for service in services {
            for dependency in service.dependsOn where !seen.contains(dependency) {
                out.append("cascade.services.\(service.name).dependsOn: unknown service \"\(dependency)\"")
            }
        }
        for host in hostDependencies.keys.sorted() {
            for dependency in hostDependencies[host] ?? [] where !seen.contains(dependency) {
                out.append("cascade.hostDependencies.\(host): unknown service \"\(dependency)\"")
            }
        }
        for signal in signals {
            if signal.matchers.isEmpty { out.append("cascade.signals.\(signal.name): has no matchers, so it matches no alert") }
            if signal.down.kind == .service, let name = signal.down.name, !seen.contains(name) {
                out.append("cascade.signals.\(signal.name).down: unknown service \"\(name)\"")
            }
        }
        return out
    }

    private enum CodingKeys: String, CodingKey { case hostLabels, signals, services, hostDependencies, inhibitRules }

    /// Decodes a configuration; every key may be missing.
    /// - Throws: `DecodingError` for a malformed value or an invalid matcher.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        hostLabels = try c.decodeIfPresent([String].self, forKey: .hostLabels) ?? Self.defaultHostLabels
        signals = try c.decodeIfPresent([RootCauseSignal].self, forKey: .signals) ?? []
        services = try c.decodeIfPresent([ServiceDefinition].self, forKey: .services) ?? []
        hostDependencies = try c.decodeIfPresent([String: [String]].self, forKey: .hostDependencies) ?? [:]
        inhibitRules = try c.decodeIfPresent([InhibitRule].self, forKey: .inhibitRules) ?? []
    }
}
