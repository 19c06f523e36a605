/// Why a label matcher could not be built; `description` is one line naming the matcher:
/// `invalid label matcher "x=~(": the regular expression does not compile: …`.
public typealias LabelMatcherError = InputProblem<LabelMatcherInput>

/// A label matcher's text, as the subject of a `LabelMatcherError`.
public enum LabelMatcherInput: RejectedTextKind {
    public static let noun = "label matcher"
}

extension InputProblem where Kind == LabelMatcherInput {
    /// Creates an error.
    /// - Parameters:
    ///   - matcher: the rejected matcher.
    ///   - reason: what is wrong with it.
    public init(matcher: String, reason: String) { self.init(subject: matcher, message: reason) }

    /// The matcher text, or `name op value` when it was built from parts.
    public var matcher: String { subject }
}
