/// The hosts jarvis knows, with the rules that check them and route alerts to them.
///
/// Pure: no I/O. Build it from the decoded configuration, call `validate()` once at load
/// time, then `route(labels:)` for each alert.
public struct HostInventory: Sendable, Equatable {
    /// The hosts in configuration order (problem paths index into this list).
    public var hosts: [HostDefinition] {
        didSet { labelOrder = Self.labelOrder(of: hosts) }
    }
    /// `routingLabelOrder()`, computed when the hosts are set rather than for every alert.
    private var labelOrder: [String]

    /// Labels that route alerts, strongest first. The first of them present on an alert
    /// decides where it goes; labels named only in some host's `routes.labels` come after these,
    /// in name order.
    public static let routingLabels = ["remediation_host", "host", "system", "instance"]
    // (`route(labels:)` reads these four in this order without looking them up by name.)

    /// Creates an inventory.
    ///
    /// - Parameter hosts: The hosts in configuration order.
    public init(hosts: [HostDefinition]) {
        self.hosts = hosts
        self.labelOrder = Self.labelOrder(of: hosts)
    }

    /// The host with this name, if any.
    ///
    /// - Parameter name: A host name.
    public func host(named name: String) -> HostDefinition? {
        hosts.first { $0.name == name }
    }

    /// Checks the inventory and returns every problem found (empty when it is valid).
    ///
    /// Checks: names non-empty and unique; address non-empty; port in 1...65535; user
    /// non-empty; parents exist, are not the host itself and form no cycle; at most one `local`
    /// host; route values non-empty and not claimed by two hosts.
    public func validate() -> [InventoryProblem] {
        var problems: [InventoryProblem] = []
        var firstIndex: [String: Int] = [:]
        for (index, host) in hosts.enumerated() {
            let path = "hosts[\(index)]"
            if host.name.isEmpty {
                problems.append(InventoryProblem(path: "\(path).name", message: "host name is empty"))
            } else if host.name.contains(where: { $0.isWhitespace || $0 == "/" }) {
                problems.append(InventoryProblem(path: "\(path).name", message: "host name \"\(host.name)\" contains whitespace or '/'"))
            }
            if let earlier = firstIndex[host.name] {
                problems.append(InventoryProblem(path: "\(path).name", message: "duplicate host name \"\(host.name)\" (first at hosts[\(earlier)])"))
            } else {
                firstIndex[host.name] = index
            }
            if host.address.isEmpty {
                problems.append(InventoryProblem(path: "\(path).address", message: "address is empty"))
            }
            if !(1...65_535).contains(host.port) {
                problems.append(InventoryProblem(path: "\(path).port", message: "port \(host.port) is outside 1...65535"))
            }
            if host.user.isEmpty {
                problems.append(InventoryProblem(path: "\(path).user", message: "user is empty"))
            }
        }
        for (index, host) in hosts.enumerated() {
            for (parentIndex, parent) in host.parents.enumerated() {
                let path = "hosts[\(index)].parents[\(parentIndex)]"
                if parent == host.name {
                    problems.append(InventoryProblem(path: path, message: "host \"\(host.name)\" lists itself as a parent"))
                } else if firstIndex[parent] == nil {
                    problems.append(InventoryProblem(path: path, message: "parent \"\(parent)\" is not a host of the inventory"))
                }
            }
        }
        problems += cycleProblems(firstIndex: firstIndex)
        let locals = hosts.indices.filter { hosts[$0].local }
        for index in locals.dropFirst() {
            problems.append(InventoryProblem(path: "hosts[\(index)].local", message: "more than one local host (first at hosts[\(locals[0])])"))
        }
        problems += routeProblems()
        return problems
    }

    /// Decides which host an alert concerns.
    ///
    /// The first label of `routingLabels` (then custom route labels, by name) present on the
    /// alert decides:
    /// - `remediation_host`, `host`: a host whose name equals the value, or that lists the value
    ///   under `routes.labels[label]`;
    /// - `instance`: a host listing the value under `routes.labels["instance"]`, or one of whose
    ///   `routes.instance_prefixes` starts the value, or whose name equals the value's part before
    ///   the last `:`;
    /// - any other label: a host listing the value under `routes.labels[label]`.
    ///
    /// Exactly one match gives `.host`; no match or several give `.unroutable` (never a default
    /// host); no routing label on the alert gives `.none`.
    ///
    /// - Parameter labels: The alert's labels.
    public func route(labels: [String: String]) -> HostRouting {
        // `routingLabels` in their order, read in one pass, then the custom route labels.
        let known = WellKnownLabels(labels)
        if let value = known.remediationHost { return route(label: "remediation_host", value: value) }
        if let value = known.host { return route(label: "host", value: value) }
        if let value = known.system { return route(label: "system", value: value) }
        if let value = known.instance { return route(label: "instance", value: value) }
        for label in labelOrder.dropFirst(HostInventory.routingLabels.count) {
            if let value = labels[label] { return route(label: label, value: value) }
        }
        return .none
    }

    /// `route(labels:)` once the deciding label is known.
    private func route(label: String, value: String) -> HostRouting {
        // One pass without building arrays or sets for the usual zero or one host.
        var match: String?
        var several = false
        for host in hosts where routes(host, label: label, value: value) {
            if let found = match, found != host.name {
                several = true
                break
            }
            match = host.name
        }
        if !several {
            if let match { return .host(match) }
            return .unroutable(reason: KeyText.concatenate("label ", label, "=\"", value, "\" names no host of the inventory"))
        }
        let unique = Set(hosts.filter { routes($0, label: label, value: value) }.map(\.name)).sorted()
        return .unroutable(reason: "label \(label)=\"\(value)\" matches several hosts: \(unique.joined(separator: ", "))")
    }

    /// The labels `route(labels:)` looks at, in the order it looks at them.
    public func routingLabelOrder() -> [String] { labelOrder }

    private static func labelOrder(of hosts: [HostDefinition]) -> [String] {
        var custom = Set<String>()
        for host in hosts { custom.formUnion(host.routes.labels.keys) }
        custom.subtract(HostInventory.routingLabels)
        return HostInventory.routingLabels + custom.sorted()
    }

    private func routes(_ host: HostDefinition, label: String, value: String) -> Bool {
        if host.routes.labels[label]?.contains(value) == true { return true }
        switch label {
        case "remediation_host", "host":
            return host.name == value
        case "instance":
            if host.routes.instancePrefixes.contains(where: { !$0.isEmpty && value.hasPrefix($0) }) { return true }
            return HostInventory.instanceHostPart(value) == host.name
        default:
            return false
        }
    }

    /// The host part of an `instance` label: `db1:9100` → `db1`, `[::1]:9100` → `::1`, `db1` → `db1`.
    static func instanceHostPart(_ instance: String) -> String {
        if instance.hasPrefix("["), let close = instance.firstIndex(of: "]") {
            return String(instance[instance.index(after: instance.startIndex)..<close])
        }
        if let colon = instance.lastIndex(of: ":"), instance.firstIndex(of: ":") == colon {
            return String(instance[..<colon])
        }
        return instance
    }

    private func cycleProblems(firstIndex: [String: Int]) -> [InventoryProblem] {
        // Three-colour depth-first search over parent edges (linear time). Each back edge closes
        // a cycle; it is reported once, at the cycle's host with the smallest index.
        enum Colour { case white, grey, black }
        var colour = [Colour](repeating: .white, count: hosts.count)
        var stack: [Int] = []
        var reported = Set<Set<Int>>()
        var found: [(index: Int, chain: String)] = []
        func visit(_ index: Int) {
            colour[index] = .grey
            stack.append(index)
            for parent in hosts[index].parents {
                guard let next = firstIndex[parent], next != index else { continue }
                switch colour[next] {
                case .white:
                    visit(next)
                case .grey:
                    guard let from = stack.lastIndex(of: next) else { continue }
                    let cycle = Array(stack[from...])
                    guard reported.insert(Set(cycle)).inserted, let smallest = cycle.min(),
                        let rotateAt = cycle.firstIndex(of: smallest)
                    else { continue }
                    let rotated = Array(cycle[rotateAt...] + cycle[..<rotateAt])
                    let chain = (rotated + [smallest]).map { hosts[$0].name }.joined(separator: " → ")
                    found.append((smallest, chain))
                case .black:
                    continue
                }
            }
            stack.removeLast()
            colour[index] = .black
        }
        for index in hosts.indices where colour[index] == .white && firstIndex[hosts[index].name] == index {
            visit(index)
        }
        return found.sorted { $0.index < $1.index }.map {
            InventoryProblem(path: "hosts[\($0.index)].parents", message: "parent cycle: \($0.chain)")
        }
    }

    private func routeProblems() -> [InventoryProblem] {
        var problems: [InventoryProblem] = []
        var claimed: [String: (host: String, path: String)] = [:]
        for (index, host) in hosts.enumerated() {
            for label in host.routes.labels.keys.sorted() {
                for (valueIndex, value) in (host.routes.labels[label] ?? []).enumerated() {
                    let path = "hosts[\(index)].routes.labels.\(label)[\(valueIndex)]"
                    if value.isEmpty {
                        problems.append(InventoryProblem(path: path, message: "route value is empty"))
                        continue
                    }
                    let key = "\(label)=\(value)"
                    if let other = claimed[key], other.host != host.name {
                        problems.append(InventoryProblem(path: path, message: "\(key) also routes to host \"\(other.host)\" (\(other.path))"))
                    } else {
                        claimed[key] = (host.name, path)
                    }
                }
            }
            for (prefixIndex, prefix) in host.routes.instancePrefixes.enumerated() where prefix.isEmpty {
                problems.append(
                    InventoryProblem(path: "hosts[\(index)].routes.instance_prefixes[\(prefixIndex)]", message: "instance prefix is empty"))
            }
        }
        return problems
    }
}
