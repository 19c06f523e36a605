/// What the command policy must know about the target host beyond the proposal: which
/// names are protected, and whether the host is the one jarvis runs on.
///
/// Protected names are matched case-insensitively; a name ending in `*` matches every name
/// that starts with the rest (`jarvis*` matches `jarvis-ingest.timer`). A unit name is read
/// as a `UnitName` (escapes decoded, trailing dots dropped) and compared with and without
/// its type suffix. Protection applies to acting commands
/// (`docker restart`, `systemctl restart`…); reading a protected target's logs or status is fine.
public struct PolicyContext: Sendable, Equatable, Hashable {
    /// Container (and Compose project) names never touched automatically, beyond `builtInProtectedNames`.
    public var protectedContainers: [String]
    /// systemd unit names never touched automatically, beyond `builtInProtectedNames`.
    public var protectedUnits: [String]
    /// True when the target host is the machine jarvis runs on (the inventory's `local` host):
    /// its Docker daemon, network and database units are protected too (`jarvisHostProtectedUnits`).
    public var targetIsJarvisHost: Bool
    /// Actions at or above this risk are escalated for approval instead of run [high].
    public var approvalRisk: ActionRisk
    /// True when jarvis's own PostgreSQL runs on the jarvis host (the configured database
    /// host is local): there `localDatabaseNames` are protected too, as units and containers.
    public var databaseIsLocal: Bool
    /// The names (as `UnitName.base`) the alert's labels and the host's inventory give for
    /// what may be acted on; an acting command whose parameter names anything else needs a
    /// person's approval. nil: not checked (a person already asked for the command).
    public var namedTargets: Set<String>?

    /// Names protected whatever the configuration says: jarvis itself.
    public static let builtInProtectedNames = ["jarvis*"]
    /// The containers protected by default: jarvis's PostgreSQL container.
    public static let defaultProtectedContainers = ["postgres-jarvis"]
    /// The units protected by default (none beyond jarvis's own).
    public static let defaultProtectedUnits: [String] = []
    /// Units protected on the host jarvis runs on: restarting them would take jarvis, its
    /// database or its network down with it.
    public static let jarvisHostProtectedUnits = [
        "docker*", "containerd*", "postgresql*", "networking*", "network*", "NetworkManager*", "systemd-networkd*", "systemd-resolved*",
        "wg-quick@*", "ssh", "sshd", "ssh.socket",
    ]

    /// jarvis's own database by default, on the jarvis host when the database is local.
    public static let localDatabaseNames = ["postgres*"]
    /// The labels whose values name what an alert is about (the unit, service or container).
    public static let targetLabels = [
        "name", "unit", "service", "container", "container_name", "systemd_unit", "interface", "device", "project",
        "compose_project", "com_docker_compose_project", "com_docker_compose_service",
    ]

    /// Creates a context.
    ///
    /// - Parameters:
    ///   - protectedContainers: Container and Compose project names never touched automatically.
    ///   - protectedUnits: Unit names never touched automatically.
    ///   - targetIsJarvisHost: True when the target host is the one jarvis runs on.
    ///   - approvalRisk: Risk from which actions need approval.
    ///   - databaseIsLocal: True when jarvis's PostgreSQL is on the jarvis host.
    ///   - namedTargets: What the alert and the inventory name (see `namedTargets(labels:units:containers:)`); nil: not checked.
    public init(
        protectedContainers: [String] = PolicyContext.defaultProtectedContainers,
        protectedUnits: [String] = PolicyContext.defaultProtectedUnits, targetIsJarvisHost: Bool = false, approvalRisk: ActionRisk = .high,
        databaseIsLocal: Bool = false, namedTargets: Set<String>? = nil
    ) {
        self.protectedContainers = protectedContainers
        self.protectedUnits = protectedUnits
        self.targetIsJarvisHost = targetIsJarvisHost
        self.approvalRisk = approvalRisk
        self.databaseIsLocal = databaseIsLocal
        self.namedTargets = namedTargets
    }

    /// The names an alert and its host's inventory give: the values of `targetLabels` and
    /// the host's `units:` and `containers:`, each read as a `UnitName` base (so `nginx`,
    /// `nginx.service` and `NGINX` are one name).
    ///
    /// - Parameters:
    ///   - labels: The alert's labels.
    ///   - units: The host's `units:`.
    ///   - containers: The host's `containers:`.
    public static func namedTargets(labels: [String: String], units: [String], containers: [String]) -> Set<String> {
        let values = targetLabels.compactMap { labels[$0] } + units + containers
        return Set(values.map { UnitName($0).base }.filter { !$0.isEmpty })
    }

    /// True when `value` is a name the alert or the inventory gives (always when not checked).
    ///
    /// - Parameter value: A parameter value of an acting command.
    public func names(_ value: String) -> Bool {
        namedTargets.map { $0.contains(UnitName(value).base) } ?? true
    }

    /// The protected name `container` matches, or nil.
    ///
    /// - Parameter container: A container or Compose project name.
    public func protection(ofContainer container: String) -> String? {
        PolicyContext.firstMatch(of: container, in: PolicyContext.builtInProtectedNames + protectedContainers + localDatabase)
    }

    /// `localDatabaseNames` when they apply to this host.
    private var localDatabase: [String] { targetIsJarvisHost && databaseIsLocal ? PolicyContext.localDatabaseNames : [] }

    /// The protected name `unit` matches, or nil; on the jarvis host `jarvisHostProtectedUnits` count too.
    ///
    /// - Parameter unit: A unit name, with or without its type suffix.
    public func protection(ofUnit unit: String) -> String? {
        var names = PolicyContext.builtInProtectedNames + protectedUnits + localDatabase
        if targetIsJarvisHost { names += PolicyContext.jarvisHostProtectedUnits }
        let name = UnitName(unit)
        return PolicyContext.firstMatch(of: name.description, in: names) ?? PolicyContext.firstMatch(of: name.base, in: names)
    }

    private static func firstMatch(of name: String, in patterns: [String]) -> String? {
        let name = name.lowercased()
        return patterns.first { pattern in
            let pattern = pattern.lowercased()
            if pattern.hasSuffix("*") { return name.hasPrefix(pattern.dropLast()) }
            return name == pattern || name == pattern + ".service"
        }
    }
}
