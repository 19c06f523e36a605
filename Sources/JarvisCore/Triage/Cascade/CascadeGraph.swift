/// The dependency graph triage walks to find root causes: host parents from the inventory,
/// the services on each host, service → service dependencies and host → service
/// dependencies, plus the root-cause signals and inhibit rules of the configuration.
///
/// A node is "behind" another when it depends on it, directly or through other nodes. An
/// alert is about one or more subject nodes: the services it belongs to and its host.
public struct CascadeGraph: Sendable {
    /// The cascade configuration.
    public let configuration: CascadeConfiguration
    /// Host name → parent host names, from the inventory.
    public let hostParents: [String: [String]]
    private let servicesByName: [String: ServiceDefinition]

    /// Builds the graph.
    /// - Parameters:
    ///   - configuration: services, dependencies, signals and inhibit rules.
    ///   - hostParents: host name → parent host names (`HostDefinition.parents`).
    public init(configuration: CascadeConfiguration = CascadeConfiguration(), hostParents: [String: [String]] = [:]) {
        self.configuration = configuration
        self.hostParents = hostParents
        var byName: [String: ServiceDefinition] = [:]
        for service in configuration.services where byName[service.name] == nil { byName[service.name] = service }
        servicesByName = byName
    }

    /// The host an alert is about: `routed` when given, else the first non-empty label of
    /// `hostLabels`.
    /// - Parameters:
    ///   - alert: the alert.
    ///   - routed: the host the router chose, if any.
    public func host(of alert: Alert, routed: String?) -> String? {
        if let routed, !routed.isEmpty { return routed }
        for label in configuration.hostLabels {
            if let value = alert.labels[label], !value.isEmpty { return value }
        }
        return nil
    }

    /// The nodes an alert is about: the services it belongs to (in configuration order),
    /// then its host.
    /// - Parameters:
    ///   - alert: the alert.
    ///   - host: the routed host, if any.
    public func subjects(of alert: Alert, host: String?) -> [CascadeNode] {
        var nodes = configuration.services.filter { $0.matches(alert.labels) }.map { CascadeNode.service($0.name) }
        if let host = self.host(of: alert, routed: host) { nodes.append(.host(host)) }
        return nodes
    }

    /// The nodes `node` depends on directly.
    /// - Parameter node: a host or service.
    public func dependencies(of node: CascadeNode) -> [CascadeNode] {
        switch node.kind {
        case .host:
            return (hostParents[node.name] ?? []).map(CascadeNode.host) + (configuration.hostDependencies[node.name] ?? []).map(CascadeNode.service)
        case .service:
            guard let service = servicesByName[node.name] else { return [] }
            return (service.host.map { [CascadeNode.host($0)] } ?? []) + service.dependsOn.map(CascadeNode.service)
        }
    }

    /// Every node `nodes` depend on, directly or not, with its distance (the nodes
    /// themselves at 0). Cycles are walked once.
    /// - Parameter nodes: the starting nodes.
    public func upstream(of nodes: [CascadeNode]) -> [CascadeNode: Int] {
        var distances: [CascadeNode: Int] = [:]
        var frontier: [CascadeNode] = []
        for node in nodes where distances[node] == nil {
            distances[node] = 0
            frontier.append(node)
        }
        var distance = 0
        while !frontier.isEmpty {
            distance += 1
            var next: [CascadeNode] = []
            for node in frontier {
                for dependency in dependencies(of: node) where distances[dependency] == nil {
                    distances[dependency] = distance
                    next.append(dependency)
                }
            }
            frontier = next
        }
        return distances
    }

    /// The ancestors of `host` through host parents, nearest first (breadth-first, parents
    /// in inventory order), without `host` itself. Cycles are walked once.
    /// - Parameter host: a host name.
    public func hostAncestors(of host: String) -> [String] {
        var seen: Set<String> = [host]
        var order: [String] = []
        var frontier = [host]
        while !frontier.isEmpty {
            var next: [String] = []
            for name in frontier {
                for parent in hostParents[name] ?? [] where seen.insert(parent).inserted {
                    order.append(parent)
                    next.append(parent)
                }
            }
            frontier = next
        }
        return order
    }

    /// The first signal whose matchers match `labels`, if any.
    /// - Parameter labels: an alert's labels.
    public func signal(for labels: [String: String]) -> RootCauseSignal? {
        configuration.signals.first { $0.matches(labels) }
    }

    /// The node an alert takes down when it is a root-cause signal, or nil when it is not
    /// one or its node cannot be resolved (no host, no matching service).
    /// - Parameters:
    ///   - alert: the alert.
    ///   - host: the routed host, if any.
    public func downNode(for alert: Alert, host: String?) -> CascadeNode? {
        guard let signal = signal(for: alert.labels) else { return nil }
        if let name = signal.down.name { return CascadeNode(kind: signal.down.kind, name: name) }
        switch signal.down.kind {
        case .host:
            return self.host(of: alert, routed: host).map(CascadeNode.host)
        case .service:
            return configuration.services.first { $0.matches(alert.labels) }.map { CascadeNode.service($0.name) }
        }
    }

    /// True when `labels` match the source side of some inhibit rule.
    /// - Parameter labels: an alert's labels.
    public func isInhibitSource(_ labels: [String: String]) -> Bool {
        configuration.inhibitRules.contains { $0.matchesSource(labels) }
    }
}
