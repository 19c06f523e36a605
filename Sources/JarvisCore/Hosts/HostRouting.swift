/// Where an alert's labels send it, as decided by `HostInventory.route(labels:)`.
public enum HostRouting: Sendable, Equatable, Hashable, Codable {
    /// The alert concerns the named host of the inventory.
    case host(String)
    /// A routing label is present but names no host (or several): the alert is recorded as
    /// unroutable with this reason. It is never sent to a default host.
    case unroutable(reason: String)
    /// The alert carries no routing label at all.
    case none

    /// The host name, or nil when unroutable or unrouted.
    public var hostName: String? {
        if case .host(let name) = self { return name }
        return nil
    }
}
