/// A regular expression compiled once and matched against whole strings, as Alertmanager
/// anchors its matchers (`^(?:pattern)$`).
///
/// `Regex` is not `Sendable` because its output type may not be; this box only ever
/// produces `AnyRegexOutput` for a pattern fixed at init and never mutates it. The program
/// is lowered eagerly in `init` (by one match), so later concurrent matches only read it.
final class CompiledRegex: @unchecked Sendable {
    let pattern: String
    private let regex: Regex<AnyRegexOutput>

    init(_ pattern: String) throws {
        self.pattern = pattern
        self.regex = try Regex(pattern)
        _ = "".wholeMatch(of: regex)
    }

    /// True when the whole of `text` matches.
    func matchesWhole(_ text: String) -> Bool {
        text.wholeMatch(of: regex) != nil
    }

    /// `text` with every regex metacharacter escaped, so it matches itself literally.
    static func escaped(_ text: String) -> String {
        var out = ""
        for character in text {
            if "\\^$.|?*+()[]{}".contains(character) { out.append("\\") }
            out.append(character)
        }
        return out
    }
}
