/// Something wrong with a piece of input, in words safe to print: what it is about (a key path
/// such as `hosts[2].port`, an action's name, the text that was typed) and what is wrong.
///
/// `Kind` is a caseless marker that says what input the problem is about and how it reads on
/// one line; each kind gives its problem its own names (`InventoryProblem`, `CatalogProblem`,
/// `LabelMatcherError`, `DurationParser.ParseError`).
public struct InputProblem<Kind: InputKind>: Error, Sendable, Hashable, CustomStringConvertible {
    /// What the problem is about: a key path, a name or the rejected text.
    public var subject: String
    /// What is wrong, in words safe to print.
    public var message: String

    /// One line naming the subject, as the kind writes it.
    public var description: String { Kind.line(subject: subject, message: message) }
}

/// What an `InputProblem` is about, and how it reads on one line.
public protocol InputKind: Sendable {
    /// The problem as one line.
    static func line(subject: String, message: String) -> String
}

extension InputKind {
    /// `subject: message`.
    public static func line(subject: String, message: String) -> String { "\(subject): \(message)" }
}

/// A kind whose subject is the text that was given and whose message says why it was
/// refused: `invalid <noun> "text": reason`.
public protocol RejectedTextKind: InputKind {
    /// What the text was meant to be, e.g. `duration`.
    static var noun: String { get }
}

extension RejectedTextKind {
    /// `invalid <noun> "subject": message`.
    public static func line(subject: String, message: String) -> String { "invalid \(noun) \"\(subject)\": \(message)" }
}

extension InputProblem where Kind: RejectedTextKind {
    /// What is wrong with the text (the message).
    public var reason: String { message }
}
