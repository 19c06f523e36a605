/// One thing wrong with an action catalog, found by `ActionCatalog.problems`.
public struct CatalogProblem: Sendable, Equatable, Hashable, CustomStringConvertible {
    /// The action the problem is about (a template name, or a name in the disabled list).
    public var action: String
    /// What is wrong, in words safe to print.
    public var message: String

    /// Creates a problem.
    ///
    /// - Parameters:
    ///   - action: The template or disabled name concerned.
    ///   - message: What is wrong.
    public init(action: String, message: String) {
        self.action = action
        self.message = message
    }

    /// `action: message`.
    public var description: String { "\(action): \(message)" }
}
