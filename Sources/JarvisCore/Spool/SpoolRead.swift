/// What reading a claimed file gave.
public enum SpoolRead: Sendable, Equatable {
    case contents([UInt8])
    /// The file must go to `rejected/` for this reason.
    case rejected(String)
}
