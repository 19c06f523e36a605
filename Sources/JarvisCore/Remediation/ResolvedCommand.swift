/// A proposal the command policy has resolved against the catalog: exactly what would run, where.
public struct ResolvedCommand: Sendable, Equatable, Hashable, Codable {
    /// The catalog template's name, e.g. `docker.restart`.
    public var action: String
    /// The program and its arguments, one element each, e.g. `["docker", "restart", "nginx"]`.
    public var argv: [String]
    /// The checked parameter values by name.
    public var parameters: [String: String]
    /// The template's risk.
    public var risk: ActionRisk
    /// The template's kind.
    public var kind: ActionKind
    /// The inventory host it runs on.
    public var host: String

    /// True for a read-only diagnostic.
    public var readOnly: Bool { kind == .readOnly }

    /// The argv as the SSH command line carries it (`ShellQuoting.quote`), for logs and messages.
    public var commandLine: String { (try? ShellQuoting.quote(argv)) ?? argv.joined(separator: " ") }
}
