/// Why a template word's written form is not allowed.
public struct TemplateWordError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The word as written.
    public var word: String
    /// What is wrong with it.
    public var message: String

    /// `word "…" message`.
    public var description: String { "word \(word.debugDescription) \(message)" }
}
