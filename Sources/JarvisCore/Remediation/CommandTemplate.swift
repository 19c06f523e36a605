/// One action of the catalog: a named, typed command whose parameters are data, never shell text.
///
/// ```yaml
/// - name: nginx.reload
///   argv: [systemctl, reload, "{unit}"]
///   parameters: { unit: unit }        # a built-in ParameterPattern, or a custom one
///   risk: low                         # low | medium | high (default medium)
///   kind: acting                      # read_only | acting (default acting)
///   summary: Reload nginx's configuration
/// ```
///
/// `argv` is the program and its arguments, one element each, as `TemplateWord`s: literal words,
/// `{name}` placeholders that fill a whole element, or `prefix{name}`. The argv is never parsed
/// by a shell on jarvis's side; over SSH it is quoted element by element (`ShellQuoting`).
/// `problems` says what is wrong with a template (a literal word holding a shell
/// metacharacter, an undeclared placeholder, a denylisted form…); the command policy refuses
/// to run a template with problems.
public struct CommandTemplate: Sendable, Hashable, Codable {
    /// Unique name, e.g. `docker.restart`: `[a-z0-9]` words joined by `.`, `_` or `-`.
    public var name: String
    /// The written argv, e.g. `["docker", "restart", "{container}"]`.
    public var argv: [String]
    /// Each placeholder's pattern, by parameter name.
    public var parameters: [String: ParameterPattern] = [:]
    /// How much harm the action can do.
    public var risk: ActionRisk
    /// Whether it only reads or also changes state.
    public var kind: ActionKind
    /// One line for people and for the LLM's tool list.
    public var summary = ""

    /// True for a read-only diagnostic.
    public var isReadOnly: Bool { kind == .readOnly }

    /// The parsed argv, or the first word whose form is not allowed.
    public var words: Result<[TemplateWord], TemplateWordError> {
        var out: [TemplateWord] = []
        for text in argv {
            switch TemplateWord.parse(text) {
            case .success(let word): out.append(word)
            case .failure(let error): return .failure(error)
            }
        }
        return .success(out)
    }

    /// The names of the placeholders the argv uses, in order of first use.
    public var placeholderNames: [String] {
        guard case .success(let words) = words else { return [] }
        var seen: [String] = []
        for case .parameter(_, let name) in words where !seen.contains(name) { seen.append(name) }
        return seen
    }

    /// Builds the final argv from parameter values. The values are not checked here: the
    /// command policy checks them against `parameters` first.
    ///
    /// - Parameter values: A value for every placeholder.
    /// - Returns: The argv, or nil when a word does not parse or a value is missing.
    public func render(_ values: [String: String]) -> [String]? {
        guard case .success(let words) = words else { return nil }
        var out: [String] = []
        out.reserveCapacity(words.count)
        for word in words {
            switch word {
            case .literal(let text): out.append(text)
            case .parameter(let prefix, let name):
                guard let value = values[name] else { return nil }
                out.append(prefix + value)
            }
        }
        return out
    }
}

extension CommandTemplate {
    private enum CodingKeys: String, CodingKey { case name, argv, parameters, risk, kind, summary }

    /// Decodes a template; `parameters` defaults to none, `risk` to `medium`, `kind` to
    /// `acting` and `summary` to empty, so that a careless entry is never taken for harmless.
    ///
    /// - Throws: `DecodingError` when `name` or `argv` is missing or a value has the wrong type.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decode(String.self, forKey: .name)
        argv = try container.decode([String].self, forKey: .argv)
        parameters = try container.decodeIfPresent([String: ParameterPattern].self, forKey: .parameters) ?? [:]
        risk = try container.decodeIfPresent(ActionRisk.self, forKey: .risk) ?? .medium
        kind = try container.decodeIfPresent(ActionKind.self, forKey: .kind) ?? .acting
        summary = try container.decodeIfPresent(String.self, forKey: .summary) ?? ""
    }
}
