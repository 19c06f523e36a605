/// One thing wrong with an action catalog, found by `ActionCatalog.problems`; it reads
/// `action: message`.
public typealias CatalogProblem = InputProblem<ActionCatalogInput>

/// An action catalog, as the subject of a `CatalogProblem`.
public enum ActionCatalogInput: InputKind {}

extension InputProblem where Kind == ActionCatalogInput {
    /// Creates a problem.
    ///
    /// - Parameters:
    ///   - action: The template or disabled name concerned.
    ///   - message: What is wrong.
    public init(action: String, message: String) { self.init(subject: action, message: message) }

    /// The action the problem is about (a template name, or a name in the disabled list).
    public var action: String { subject }
}
