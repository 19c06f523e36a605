/// One host of the inventory, as the configuration file describes it.
///
/// Decoded from the `hosts:` list of the YAML configuration with snake_case keys:
///
/// ```yaml
/// - name: db1
///   address: 10.0.0.5
///   port: 22                          # default 22
///   user: root                        # default "root"
///   identity_file: /etc/jarvis/id_ed25519
///   known_hosts_file: /etc/jarvis/known_hosts
///   routes:
///     labels: { host: [db1], system: [postgres-main] }
///     instance_prefixes: ["db1:", "10.0.0.5:"]
///   parents: [rack1-switch]
///   local: false                      # default false
/// ```
///
/// Only `name` and `address` are required; every other key has the default shown.
public struct HostDefinition: Sendable, Codable, Equatable, Hashable {
    /// Unique name of the host; alerts and logs refer to it by this name.
    public var name: String
    /// Host name or IP address to connect to.
    public var address: String
    /// TCP port of the SSH server, 1...65535.
    public var port: Int
    /// Remote user to log in as.
    public var user: String
    /// Private key file for public-key authentication. When nil, the ssh-agent is used if
    /// `SSH_AUTH_SOCK` is set.
    public var identityFile: String?
    /// known_hosts file the host key is checked against. When nil, the connection is refused:
    /// jarvis never trusts a key it cannot check.
    public var knownHostsFile: String?
    /// The label values that route an alert to this host.
    public var routes: HostRoutes
    /// Names of the hosts this one depends on (switch, hypervisor…), for cascade suppression.
    public var parents: [String]
    /// True for the machine jarvis itself runs on: commands run directly, without SSH and without a shell.
    public var local: Bool
    /// systemd units that live on this host (`units:`): naming one makes it a target a plan
    /// may act on without a person, like the alert's own labels do.
    public var units: [String]
    /// Containers (and Compose projects) that live on this host (`containers:`), as `units`.
    public var containers: [String]
    /// This host's `remediation.mode`; nil: the site's. The most cautious mode that applies wins.
    public var remediationMode: RemediationMode?

    /// The SSH port used when the configuration gives none.
    public static let defaultPort = 22
    /// The remote user used when the configuration gives none.
    public static let defaultUser = "root"

    /// Creates a host definition.
    ///
    /// - Parameters:
    ///   - name: Unique host name.
    ///   - address: Host name or IP address.
    ///   - port: SSH port (default 22).
    ///   - user: Remote user (default "root").
    ///   - identityFile: Private key file, or nil for the ssh-agent.
    ///   - knownHostsFile: known_hosts file to check the host key against.
    ///   - routes: Label values routing alerts here.
    ///   - parents: Names of the hosts this one depends on.
    ///   - local: True for the host jarvis runs on.
    public init(
        name: String, address: String, port: Int = HostDefinition.defaultPort, user: String = HostDefinition.defaultUser,
        identityFile: String? = nil, knownHostsFile: String? = nil, routes: HostRoutes = HostRoutes(), parents: [String] = [],
        local: Bool = false, units: [String] = [], containers: [String] = [], remediationMode: RemediationMode? = nil
    ) {
        self.name = name
        self.address = address
        self.port = port
        self.user = user
        self.identityFile = identityFile
        self.knownHostsFile = knownHostsFile
        self.routes = routes
        self.parents = parents
        self.local = local
        self.units = units
        self.containers = containers
        self.remediationMode = remediationMode
    }

    /// The configuration keys, in snake_case.
    public enum CodingKeys: String, CodingKey {
        case name
        case address
        case port
        case user
        case identityFile = "identity_file"
        case knownHostsFile = "known_hosts_file"
        case routes
        case parents
        case local
        case units
        case containers
        case remediationMode = "remediation_mode"
    }

    /// Decodes a host, filling in the documented defaults for missing optional keys.
    ///
    /// - Throws: `DecodingError` when `name` or `address` is missing or a key has the wrong type.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decode(String.self, forKey: .name)
        address = try container.decode(String.self, forKey: .address)
        port = try container.decodeIfPresent(Int.self, forKey: .port) ?? HostDefinition.defaultPort
        user = try container.decodeIfPresent(String.self, forKey: .user) ?? HostDefinition.defaultUser
        identityFile = try container.decodeIfPresent(String.self, forKey: .identityFile)
        knownHostsFile = try container.decodeIfPresent(String.self, forKey: .knownHostsFile)
        routes = try container.decodeIfPresent(HostRoutes.self, forKey: .routes) ?? HostRoutes()
        parents = try container.decodeIfPresent([String].self, forKey: .parents) ?? []
        local = try container.decodeIfPresent(Bool.self, forKey: .local) ?? false
        units = try container.decodeIfPresent([String].self, forKey: .units) ?? []
        containers = try container.decodeIfPresent([String].self, forKey: .containers) ?? []
        remediationMode = try container.decodeIfPresent(RemediationMode.self, forKey: .remediationMode)
    }
}
