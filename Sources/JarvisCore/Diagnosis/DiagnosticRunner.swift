/// Port: runs one read-only diagnostic for the model, on the alert's host.
///
/// jarvis implements it by resolving `tool` as a read-only catalog template through the command
/// policy and running it over SSH; a refusal is a result too (`isError`, with the reason), so
/// that the model can adjust.
public protocol DiagnosticRunner {
    /// Runs the diagnostic `tool` with `parameters`.
    ///
    /// - Parameters:
    ///   - tool: The `DiagnosticTool.name` (the catalog name, not the sanitized tool name).
    ///   - parameters: Values the model gave, unvalidated.
    ///   - timeout: Seconds left in the diagnosis; the run must not take longer.
    /// - Returns: Output or refusal text for the model.
    func run(tool: String, parameters: [String: String], timeout: Double) -> DiagnosticResult
}

/// What a diagnostic produced, as the model will read it.
public struct DiagnosticResult: Sendable, Equatable {
    /// Output (stdout, stderr and exit status, as the runner formats them) or why it was refused.
    public var text: String
    /// True when the diagnostic was refused or failed to run.
    public var isError: Bool

    public init(text: String, isError: Bool = false) {
        self.text = text
        self.isError = isError
    }
}
