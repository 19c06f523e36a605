import Foundation

/// Replaces a file in one step: the bytes go to a temp file beside it (`NAME.tmp.PID`, a
/// name node_exporter's textfile collector ignores), which is then renamed over `path`. A
/// reader sees the old file or the new one, never a part; a run killed midway leaves the old
/// file and at most a temp file, which the next write of the same process id replaces.
enum AtomicFile {
    /// Writes `bytes` to `path`.
    ///
    /// - Parameters:
    ///   - bytes: The content.
    ///   - path: The file to replace.
    ///   - mode: Permissions, set explicitly (the umask does not narrow them).
    ///   - sync: fsync the file before the rename (durable across power loss); off for files
    ///     that are rewritten every run anyway.
    /// - Throws: `ReportWriteError` naming the failing call.
    static func write(_ bytes: [UInt8], to path: String, mode: mode_t, sync: Bool = true) throws {
        let temporary = "\(path).tmp.\(getpid())"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, mode)
        guard fd >= 0 else { throw ReportWriteError("cannot create \(temporary): \(String(cString: strerror(errno)))") }
        var failure: String?
        var offset = 0
        while offset < bytes.count && failure == nil {
            let written = bytes.withUnsafeBufferPointer { Foundation.write(fd, $0.baseAddress! + offset, $0.count - offset) }
            if written < 0 {
                if errno != EINTR { failure = "cannot write \(temporary): \(String(cString: strerror(errno)))" }
            } else {
                offset += written
            }
        }
        if failure == nil && fchmod(fd, mode) != 0 { failure = "cannot chmod \(temporary): \(String(cString: strerror(errno)))" }
        if failure == nil && sync && fsync(fd) != 0 { failure = "cannot fsync \(temporary): \(String(cString: strerror(errno)))" }
        close(fd)
        if failure == nil && rename(temporary, path) != 0 { failure = "cannot rename \(temporary) to \(path): \(String(cString: strerror(errno)))" }
        if let failure {
            unlink(temporary)
            throw ReportWriteError(failure)
        }
    }
}
