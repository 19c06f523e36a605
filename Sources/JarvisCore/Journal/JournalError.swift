/// A failure of the local journal (or a document in it), with a one-line description safe to log.
public struct JournalError: Error, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
