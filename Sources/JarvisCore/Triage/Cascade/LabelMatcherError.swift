/// Why a label matcher could not be built; `description` is one line naming the matcher.
public struct LabelMatcherError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The matcher text, or `name op value` when it was built from parts.
    public var matcher: String
    /// What is wrong with it.
    public var reason: String

    /// Creates an error.
    /// - Parameters:
    ///   - matcher: the rejected matcher.
    ///   - reason: what is wrong with it.
    public init(matcher: String, reason: String) {
        self.matcher = matcher
        self.reason = reason
    }

    /// `invalid label matcher "x=~(": the regular expression does not compile: …`.
    public var description: String { "invalid label matcher \"\(matcher)\": \(reason)" }
}
