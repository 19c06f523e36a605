/// What the command policy must know about the target host beyond the proposal: which
/// names are protected, and whether the host is the one jarvis runs on.
///
/// Protected names are matched case-insensitively; a name ending in `*` matches every name
/// that starts with the rest (`jarvis*` matches `jarvis-ingest.timer`). A unit name is
/// compared with and without its `.service` suffix. Protection applies to acting commands
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

    /// Creates a context.
    ///
    /// - Parameters:
    ///   - protectedContainers: Container and Compose project names never touched automatically.
    ///   - protectedUnits: Unit names never touched automatically.
    ///   - targetIsJarvisHost: True when the target host is the one jarvis runs on.
    ///   - approvalRisk: Risk from which actions need approval.
    public init(
        protectedContainers: [String] = PolicyContext.defaultProtectedContainers,
        protectedUnits: [String] = PolicyContext.defaultProtectedUnits, targetIsJarvisHost: Bool = false, approvalRisk: ActionRisk = .high
    ) {
        self.protectedContainers = protectedContainers
        self.protectedUnits = protectedUnits
        self.targetIsJarvisHost = targetIsJarvisHost
        self.approvalRisk = approvalRisk
    }

    /// The protected name `container` matches, or nil.
    ///
    /// - Parameter container: A container or Compose project name.
    public func protection(ofContainer container: String) -> String? {
        PolicyContext.firstMatch(of: container, in: PolicyContext.builtInProtectedNames + protectedContainers)
    }

    /// The protected name `unit` matches, or nil; on the jarvis host `jarvisHostProtectedUnits` count too.
    ///
    /// - Parameter unit: A unit name, with or without its type suffix.
    public func protection(ofUnit unit: String) -> String? {
        var names = PolicyContext.builtInProtectedNames + protectedUnits
        if targetIsJarvisHost { names += PolicyContext.jarvisHostProtectedUnits }
        let lowered = unit.lowercased()
        let bare = lowered.hasSuffix(".service") ? String(lowered.dropLast(".service".count)) : lowered
        return PolicyContext.firstMatch(of: lowered, in: names) ?? PolicyContext.firstMatch(of: bare, in: names)
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
