/// One thing wrong with the host inventory, found by `HostInventory.validate()`; it reads
/// `path: message`.
public typealias InventoryProblem = InputProblem<HostInventoryInput>

/// The host inventory, as the subject of an `InventoryProblem`.
public enum HostInventoryInput: InputKind {}

extension InputProblem where Kind == HostInventoryInput {
    /// Creates a problem.
    ///
    /// - Parameters:
    ///   - path: Key path of the offending value, e.g. `hosts[2].parents[0]`.
    ///   - message: What is wrong.
    public init(path: String, message: String) { self.init(subject: path, message: message) }

    /// Key path of the offending value in the configuration, e.g. `hosts[2].port`.
    public var path: String { subject }
}
