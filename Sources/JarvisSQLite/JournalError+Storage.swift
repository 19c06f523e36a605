import GRDB
import JarvisCore

/// What to do when SQLite reports trouble with the journal's storage: a damaged file, a
/// read-only file or folder, a full disk, an I/O error. jarvis never recreates a journal
/// over one it cannot read: the rows in it may be the only copy.
extension JournalError {
    /// The advice for a SQLite failure about the journal's storage, or nil for other failures.
    ///
    /// - Parameter error: What SQLite (through GRDB) threw.
    static func storageAdvice(_ error: any Error) -> String? {
        guard let error = error as? DatabaseError else { return nil }
        switch error.resultCode.primaryResultCode {
        case .SQLITE_CORRUPT, .SQLITE_NOTADB:
            return "the journal is damaged and jarvis will not overwrite it: stop the jarvis timers, move the file aside"
                + " (with its -wal and -shm files) and run `jarvis migrate` to start an empty one, or restore it from a backup"
        case .SQLITE_READONLY, .SQLITE_CANTOPEN, .SQLITE_PERM:
            return "make the state folder and the journal in it writable by the user jarvis runs as"
        case .SQLITE_FULL:
            return "the disk holding the state folder is full: free space and run again (spool files stay until their rows are committed)"
        case .SQLITE_IOERR:
            return "the disk holding the state folder failed to read or write: check it, then run again"
        default:
            return nil
        }
    }

    /// A journal error for a SQLite storage failure that escaped a journal operation (a full
    /// disk at commit), with what to do; nil for any other error.
    ///
    /// - Parameter error: Any error.
    public static func storageFailure(_ error: any Error) -> JournalError? {
        guard let advice = storageAdvice(error) else { return nil }
        return JournalError("\(describe(error)); \(advice)")
    }
}
