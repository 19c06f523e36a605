/// A node of the dependency graph: a host or a service, e.g. `host:vps`, `service:wireguard`.
public struct CascadeNode: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    /// What kind of thing the node is.
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        /// An inventory host.
        case host
        /// A service declared in the cascade configuration.
        case service
    }

    /// The node's kind.
    public var kind: Kind
    /// The host or service name.
    public var name: String

    /// Creates a node.
    /// - Parameters:
    ///   - kind: host or service.
    ///   - name: its name.
    public init(kind: Kind, name: String) {
        self.kind = kind
        self.name = name
    }

    /// The host node `name`.
    /// - Parameter name: a host name.
    public static func host(_ name: String) -> CascadeNode { CascadeNode(kind: .host, name: name) }

    /// The service node `name`.
    /// - Parameter name: a service name.
    public static func service(_ name: String) -> CascadeNode { CascadeNode(kind: .service, name: name) }

    /// `kind:name`, e.g. `host:vps`.
    public var description: String { "\(kind.rawValue):\(name)" }

    /// Orders by kind, then name.
    public static func < (lhs: CascadeNode, rhs: CascadeNode) -> Bool {
        (lhs.kind.rawValue, lhs.name) < (rhs.kind.rawValue, rhs.name)
    }

    /// Decodes `kind:name`.
    /// - Throws: `DecodingError.dataCorrupted` when the kind is unknown or the name empty.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let colon = text.firstIndex(of: ":"), let kind = Kind(rawValue: String(text[..<colon])),
            text.index(after: colon) < text.endIndex
        else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "not a cascade node (host:NAME or service:NAME): \(text)")
        }
        self.init(kind: kind, name: String(text[text.index(after: colon)...]))
    }

    /// Encodes `kind:name`.
    /// - Throws: whatever the encoder throws.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
