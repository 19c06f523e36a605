/// What reading a claimed file gave.
public enum SpoolRead: Sendable, Equatable {
    case contents([UInt8])
    /// The file must go to `rejected/` for this reason.
    case rejected(String)
}

/// Names in a spool folder.
public enum SpoolNames {
    /// True for a name a writer may leave in `incoming/`: not hidden (`.`-prefixed) and not
    /// half-written (`.part`, `.tmp`: writes belong elsewhere, renamed in when complete).
    public static func isCandidate(_ name: String) -> Bool {
        !name.hasPrefix(".") && !name.hasSuffix(".part") && !name.hasSuffix(".tmp")
    }
}
