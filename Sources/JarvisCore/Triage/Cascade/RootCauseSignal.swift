/// A rule that makes an alert a root cause: "alert X means node N is down, and it hides
/// alerts Y about N or anything that depends on N".
///
/// For example, `alertname="WireGuardVPNDown"` takes down `service:wireguard` and hides
/// `VPSHostDown`, `PostgreSQLDown`, `SystemDown` and `TargetDown` alerts about everything
/// behind the tunnel; `alertname=~"HostDown|VPSHostDown|InstanceDown"` takes down the
/// alert's own host and hides its container and service alerts.
public struct RootCauseSignal: Sendable, Hashable, Codable {
    /// A name for logs and reasons, e.g. `vpn-down`.
    public var name: String
    /// Which alerts are this signal; all must match. An empty list matches no alert (a
    /// signal must say what it is).
    public var matchers: [LabelMatcher]
    /// The node the alert takes down.
    public var down: CascadeNodeReference
    /// Which alerts about the down node or its dependents are hidden; all must match; an
    /// empty list hides every alert about them.
    public var suppresses: [LabelMatcher]

    /// Creates a signal.
    /// - Parameters:
    ///   - name: a name for logs.
    ///   - matchers: what the signal alert matches.
    ///   - down: the node it takes down.
    ///   - suppresses: which dependent alerts it hides (empty: all).
    public init(name: String, matchers: [LabelMatcher], down: CascadeNodeReference, suppresses: [LabelMatcher] = []) {
        self.name = name
        self.matchers = matchers
        self.down = down
        self.suppresses = suppresses
    }

    /// True when an alert with `labels` is this signal.
    /// - Parameter labels: an alert's labels.
    public func matches(_ labels: [String: String]) -> Bool {
        !matchers.isEmpty && LabelMatcher.all(matchers, match: labels)
    }

    /// True when an alert with `labels` is one this signal hides (if it is behind the node).
    /// - Parameter labels: the labels of the alert being triaged.
    public func hides(_ labels: [String: String]) -> Bool {
        LabelMatcher.all(suppresses, match: labels)
    }

    private enum CodingKeys: String, CodingKey { case name, matchers, down, suppresses }

    /// Decodes a signal; `suppresses` may be missing (hide everything behind the node).
    /// - Throws: `DecodingError` for a missing field or an invalid matcher.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decode(String.self, forKey: .name)
        matchers = try c.decode([LabelMatcher].self, forKey: .matchers)
        down = try c.decode(CascadeNodeReference.self, forKey: .down)
        suppresses = try c.decodeIfPresent([LabelMatcher].self, forKey: .suppresses) ?? []
    }
}
