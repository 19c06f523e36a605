/// One Alertmanager-style label matcher: `name = value`, `!=`, `=~` or `!~`.
///
/// As in Alertmanager, a missing label counts as the empty string (so `team=""` matches an
/// alert with no `team` label), and regular expressions are anchored: `=~ "Host.*"`
/// matches `HostDown` but not `VPSHostDown`. Patterns use Swift's regex syntax, which
/// agrees with Go's RE2 on the usual constructs (classes, alternation, repetition, `(?i)`).
///
/// A matcher encodes as its text, e.g. `alertname=~"Container(Down|Unhealthy)"`, the form
/// Alertmanager's `source_matchers` and `target_matchers` use.
public struct LabelMatcher: Sendable, Hashable, Codable, CustomStringConvertible {
    /// How the label value is compared.
    public enum Operator: String, Sendable, Hashable, Codable, CaseIterable {
        /// The value equals the text.
        case equal = "="
        /// The value differs from the text.
        case notEqual = "!="
        /// The whole value matches the regular expression.
        case matchesRegex = "=~"
        /// The whole value does not match the regular expression.
        case doesNotMatchRegex = "!~"
    }

    /// The label name.
    public let name: String
    /// The comparison.
    public let op: Operator
    /// The text or pattern compared with.
    public let value: String
    private let regex: CompiledRegex?

    /// Creates a matcher.
    /// - Parameters:
    ///   - name: a Prometheus label name (`[a-zA-Z_][a-zA-Z0-9_]*`).
    ///   - op: the comparison.
    ///   - value: the text, or the pattern for `=~` and `!~`.
    /// - Throws: `LabelMatcherError` for an invalid label name or a pattern that does not compile.
    public init(name: String, op: Operator, value: String) throws {
        let text = "\(name)\(op.rawValue)\(Self.quoted(value))"
        guard Self.isValidLabelName(name) else {
            throw LabelMatcherError(matcher: text, reason: "\"\(name)\" is not a label name (letters, digits and _, not starting with a digit)")
        }
        self.name = name
        self.op = op
        self.value = value
        switch op {
        case .equal, .notEqual:
            regex = nil
        case .matchesRegex, .doesNotMatchRegex:
            do {
                regex = try CompiledRegex(value)
            } catch {
                throw LabelMatcherError(matcher: text, reason: "the regular expression does not compile: \(error)")
            }
        }
    }

    /// `name = value`, without throwing: the name is not checked (use it with literal,
    /// known-good label names).
    /// - Parameters:
    ///   - name: the label name.
    ///   - value: the exact value.
    public static func equal(_ name: String, _ value: String) -> LabelMatcher {
        LabelMatcher(uncheckedName: name, op: .equal, value: value, regex: nil)
    }

    /// `name =~ "v1|v2|…"` with every value escaped, so it matches exactly one of `values`;
    /// the name is not checked.
    /// - Parameters:
    ///   - name: the label name.
    ///   - values: the accepted values.
    public static func oneOf(_ name: String, _ values: [String]) -> LabelMatcher {
        let pattern = values.map(CompiledRegex.escaped).joined(separator: "|")
        // Escaped literals joined by | always compile; should that ever fail, the matcher
        // matches nothing rather than everything.
        return LabelMatcher(uncheckedName: name, op: .matchesRegex, value: pattern, regex: try? CompiledRegex(pattern))
    }

    private init(uncheckedName name: String, op: Operator, value: String, regex: CompiledRegex?) {
        self.name = name
        self.op = op
        self.value = value
        self.regex = regex
    }

    /// Parses Alertmanager's matcher text: `name="value"`, `name!=value`, `name=~"re"`,
    /// `name!~"re"`. The value may be double-quoted (with `\"`, `\\` and `\n` escapes) or
    /// bare; spaces around the operator are allowed.
    /// - Parameter text: one matcher.
    /// - Throws: `LabelMatcherError` naming what is wrong.
    public init(parsing text: String) throws {
        let chars = Array(text)
        var i = 0
        func skipSpaces() { while i < chars.count, chars[i].isWhitespace { i += 1 } }
        func fail(_ reason: String) -> LabelMatcherError { LabelMatcherError(matcher: text, reason: reason) }
        skipSpaces()
        var name = ""
        while i < chars.count, chars[i].isASCII, chars[i].isLetter || chars[i].isNumber || chars[i] == "_" {
            name.append(chars[i])
            i += 1
        }
        guard !name.isEmpty else { throw fail("it does not start with a label name") }
        skipSpaces()
        let op: Operator
        let rest = String(chars[i...].prefix(2))
        if rest == "=~" {
            op = .matchesRegex
        } else if rest == "!~" {
            op = .doesNotMatchRegex
        } else if rest == "!=" {
            op = .notEqual
        } else if rest.first == "=" {
            op = .equal
        } else {
            throw fail("expected one of =, !=, =~, !~ after \"\(name)\"")
        }
        i += op.rawValue.count
        skipSpaces()
        var value = ""
        if i < chars.count, chars[i] == "\"" {
            i += 1
            var closed = false
            while i < chars.count {
                let c = chars[i]
                i += 1
                if c == "\"" {
                    closed = true
                    break
                }
                if c == "\\" {
                    guard i < chars.count else { break }
                    let escaped = chars[i]
                    i += 1
                    switch escaped {
                    case "n": value.append("\n")
                    case "t": value.append("\t")
                    case "\"", "\\": value.append(escaped)
                    default:
                        // Keep unknown escapes for the regex engine (e.g. \d, \.).
                        value.append("\\")
                        value.append(escaped)
                    }
                    continue
                }
                value.append(c)
            }
            guard closed else { throw fail("the quoted value is not closed") }
            skipSpaces()
            guard i == chars.count else { throw fail("unexpected text after the quoted value") }
        } else {
            value = String(chars[i...])
            while let last = value.last, last.isWhitespace { value.removeLast() }
            if value.contains("\"") { throw fail("a bare value must not contain a quote; quote the whole value") }
        }
        do {
            try self.init(name: name, op: op, value: value)
        } catch let error as LabelMatcherError {
            throw LabelMatcherError(matcher: text, reason: error.reason)
        }
    }

    /// True when `labels` satisfy the matcher; a missing label counts as "".
    /// - Parameter labels: an alert's labels.
    public func matches(_ labels: [String: String]) -> Bool {
        let actual = labels[name] ?? ""
        switch op {
        case .equal: return actual == value
        case .notEqual: return actual != value
        case .matchesRegex: return regex?.matchesWhole(actual) ?? false
        case .doesNotMatchRegex: return !(regex?.matchesWhole(actual) ?? false)
        }
    }

    /// True when every matcher in `matchers` matches `labels` (an empty list matches all).
    /// - Parameters:
    ///   - matchers: the matchers, all required.
    ///   - labels: an alert's labels.
    public static func all(_ matchers: [LabelMatcher], match labels: [String: String]) -> Bool {
        matchers.allSatisfy { $0.matches(labels) }
    }

    /// `name op "value"` with the value quoted and escaped; `init(parsing:)` reads it back.
    public var description: String { "\(name)\(op.rawValue)\(Self.quoted(value))" }

    /// Compares name, operator and value.
    public static func == (lhs: LabelMatcher, rhs: LabelMatcher) -> Bool {
        lhs.name == rhs.name && lhs.op == rhs.op && lhs.value == rhs.value
    }

    /// Hashes name, operator and value.
    /// - Parameter hasher: the hasher.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(name)
        hasher.combine(op)
        hasher.combine(value)
    }

    /// Decodes the matcher text (see `init(parsing:)`).
    /// - Throws: `DecodingError.dataCorrupted` carrying the `LabelMatcherError` text.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        do {
            try self.init(parsing: text)
        } catch {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "\(error)")
        }
    }

    /// Encodes the matcher text (`description`).
    /// - Throws: whatever the encoder throws.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    private static func isValidLabelName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, !(("0"..."9").contains(first)) else { return false }
        return name.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "_" }
    }

    private static func quoted(_ value: String) -> String {
        var out = "\""
        for character in value {
            switch character {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            default: out.append(character)
            }
        }
        return out + "\""
    }
}
