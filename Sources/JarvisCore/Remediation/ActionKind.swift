/// Whether a catalog action only looks (a diagnostic the LLM may run while it investigates)
/// or changes something on the host (a remediation).
///
/// Written `read_only` or `acting` in the configuration.
public enum ActionKind: String, Sendable, Hashable, Codable, CaseIterable, CustomStringConvertible {
    /// Reads state and changes nothing: `docker logs`, `df -h`, `systemctl status`.
    case readOnly = "read_only"
    /// Changes state: `docker restart`, `systemctl restart`, `docker image prune -f`.
    case acting

    /// `read_only` or `acting`.
    public var description: String { rawValue }
}
