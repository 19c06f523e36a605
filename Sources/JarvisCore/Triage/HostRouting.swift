/// Where an alert's remediation would run, as decided by the host router before triage.
public enum HostRouting: Sendable, Hashable, Codable {
    /// The alert maps to the inventory host with this name.
    case host(String)
    /// No inventory host matches the alert's labels; `reason` says why, e.g.
    /// `no host matches remediation_host="nas"`.
    case unroutable(reason: String)

    /// The host name, or nil when unroutable.
    public var hostName: String? {
        if case .host(let name) = self { return name }
        return nil
    }
}
