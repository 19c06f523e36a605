import ArgumentParser
import JarvisCore
import JarvisJobs
import JarvisReceiver
import JarvisSQLite
import JarvisSpool

/// The only place where outcomes and errors become exit codes (sysexits.h values, which
/// systemd understands: `RestartPreventExitStatus=78`, `SuccessExitStatus=75`…).
enum JarvisExit {
    static let ok: Int32 = 0
    static let usage: Int32 = 64  // EX_USAGE: the command line names something that does not exist
    static let dataError: Int32 = 65  // EX_DATAERR: bad input
    static let software: Int32 = 70  // EX_SOFTWARE
    static let ioError: Int32 = 74  // EX_IOERR: local disk trouble
    static let tempFail: Int32 = 75  // EX_TEMPFAIL: completed degraded, retry later
    static let config: Int32 = 78  // EX_CONFIG

    /// Maps an error to an exit code and a one-line message (never a stack trace).
    static func classify(_ error: any Error) -> (code: Int32, message: String) {
        switch error {
        case let error as ConfigurationError: return (config, error.description)
        case let error as SpoolError: return (ioError, "spool: \(error.description)")
        case let error as JournalError: return (ioError, "journal: \(error.description)")
        case let error as SpoolRejection: return (dataError, error.description)
        case let error as IngestError: return (tempFail, error.description)
        case let error as StoreFailure:
            return (error.misconfigured ? config : error.unreachable ? tempFail : software, "PostgreSQL \(error.description)")
        case let error as LockBusy: return (tempFail, error.description)
        case let error as UsageProblem: return (usage, error.description)
        case let error as InputProblem: return (dataError, error.description)
        case let error as FileWriteError: return (ioError, error.description)
        case let error as ApprovalError: return (error.tryLater ? tempFail : usage, error.description)
        case let error as ReceiverError: return (config, "accept: \(error.description)")
        case let error as ReplayFileError: return (config, "llm.replay_file: \(error.description)")
        default:
            if let storage = JournalError.storageFailure(error) { return (ioError, "journal: \(storage.description)") }
            return (software, "\(error)")
        }
    }
}

/// Another run of the same subcommand holds its lock.
struct LockBusy: Error, CustomStringConvertible {
    var description: String
}
