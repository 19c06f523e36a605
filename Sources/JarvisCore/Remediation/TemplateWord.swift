/// One element of a command template's argv, parsed from its written form.
///
/// - `docker` is a literal word, passed as it is;
/// - `{container}` is a whole-word placeholder, replaced by the parameter's value;
/// - `wg-quick@{interface}` or `--unit={unit}` is a literal prefix followed by one placeholder
///   that ends the word (the only mixed form: no suffix after a placeholder, never two
///   placeholders in one word).
///
/// Whatever the form, a placeholder fills exactly one argv element: a value can never become a
/// second argument, whatever it holds.
public enum TemplateWord: Sendable, Hashable, CustomStringConvertible {
    /// A word passed unchanged.
    case literal(String)
    /// A literal prefix (possibly empty) followed by the value of the named parameter.
    case parameter(prefix: String, name: String)

    /// Parses the written form.
    ///
    /// - Parameter text: A word such as `docker`, `{container}` or `wg-quick@{interface}`.
    /// - Returns: The parsed word, or a reason the form is not allowed (a brace that is not a
    ///   trailing `{name}` placeholder, a bad parameter name).
    public static func parse(_ text: String) -> Result<TemplateWord, TemplateWordError> {
        guard let open = text.firstIndex(of: "{") else {
            if text.contains("}") { return .failure(TemplateWordError(word: text, message: "has a '}' without a '{'")) }
            return .success(.literal(text))
        }
        guard text.hasSuffix("}") else {
            return .failure(TemplateWordError(word: text, message: "a placeholder must end the word (`prefix{name}`)"))
        }
        let prefix = String(text[..<open])
        let name = String(text[text.index(after: open)..<text.index(before: text.endIndex)])
        guard !prefix.contains("}"), !name.contains("{"), !name.contains("}") else {
            return .failure(TemplateWordError(word: text, message: "holds more than one placeholder"))
        }
        guard TemplateWord.isParameterName(name) else {
            return .failure(TemplateWordError(word: text, message: "parameter names are [a-z][a-z0-9_]*"))
        }
        return .success(.parameter(prefix: prefix, name: name))
    }

    /// The written form: `docker`, `{container}`, `wg-quick@{interface}`.
    public var description: String {
        switch self {
        case .literal(let text): return text
        case .parameter(let prefix, let name): return "\(prefix){\(name)}"
        }
    }

    /// True for `[a-z][a-z0-9_]*`, at most 64 characters.
    ///
    /// - Parameter name: A parameter name.
    public static func isParameterName(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        guard let first = bytes.first, bytes.count <= 64, (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(first) else { return false }
        return bytes.allSatisfy {
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains($0) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) || $0 == UInt8(ascii: "_")
        }
    }
}
