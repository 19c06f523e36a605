/// What `record` did.
public struct RecordResult: Sendable, Equatable {
    public var inserted = 0
    public var duplicates = 0
    /// Per event, in order: true when it was new.
    public var isNew: [Bool] = []
    public init(inserted: Int = 0, duplicates: Int = 0, isNew: [Bool] = []) {
        self.inserted = inserted
        self.duplicates = duplicates
        self.isNew = isNew
    }
}
