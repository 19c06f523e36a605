/// One thing wrong with the host inventory, found by `HostInventory.validate()`.
public struct InventoryProblem: Sendable, Equatable, Hashable, CustomStringConvertible {
    /// Key path of the offending value in the configuration, e.g. `hosts[2].port`.
    public var path: String
    /// What is wrong, in words safe to print.
    public var message: String

    /// Creates a problem.
    ///
    /// - Parameters:
    ///   - path: Key path of the offending value, e.g. `hosts[2].parents[0]`.
    ///   - message: What is wrong.
    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }

    /// `path: message`.
    public var description: String { "\(path): \(message)" }
}
