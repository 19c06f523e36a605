/// Which graph node a root-cause signal takes down: a fixed node, or one taken from the
/// alert (its host, or the service it belongs to).
public struct CascadeNodeReference: Sendable, Hashable, Codable {
    /// The kind of node.
    public var kind: CascadeNode.Kind
    /// A fixed node name; nil means "from the alert": its routed host (or host label) for
    /// `.host`, the first service it belongs to for `.service`.
    public var name: String?

    /// The host the alert is about.
    public static let alertHost = CascadeNodeReference(kind: .host)
    /// The service the alert belongs to.
    public static let alertService = CascadeNodeReference(kind: .service)

    /// The fixed host `name`.
    /// - Parameter name: a host name.
    public static func host(_ name: String) -> CascadeNodeReference { CascadeNodeReference(kind: .host, name: name) }

    /// The fixed service `name`.
    /// - Parameter name: a service name.
    public static func service(_ name: String) -> CascadeNodeReference { CascadeNodeReference(kind: .service, name: name) }
}
