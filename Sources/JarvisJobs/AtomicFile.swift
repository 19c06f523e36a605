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
    ///     that are rewritten every run anyway. Those replace an existing file by swapping the
    ///     two names in one step (`renameat2` with `RENAME_EXCHANGE`) and removing the old
    ///     one: a plain rename over an existing file makes ext4 write the new file's data out
    ///     first (its `auto_da_alloc` safeguard), about a millisecond and a half per file; the
    ///     price is that after a power loss such a file may be empty until it is next written.
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
        if failure == nil && !sync && exchange(temporary, path) {
            unlink(temporary)  // now the previous file
        } else if failure == nil && rename(temporary, path) != 0 {
            failure = "cannot rename \(temporary) to \(path): \(String(cString: strerror(errno)))"
        }
        if let failure {
            unlink(temporary)
            throw ReportWriteError(failure)
        }
    }

    /// Swaps the files at `a` and `b` atomically; false when it cannot (`b` missing, or a
    /// kernel or file system without the call).
    private static func exchange(_ a: String, _ b: String) -> Bool {
        guard let renameat2 else { return false }
        let renameExchange: UInt32 = 2  // RENAME_EXCHANGE
        return renameat2(AT_FDCWD, a, AT_FDCWD, b, renameExchange) == 0
    }

    private typealias RenameAt2 = @convention(c) (Int32, UnsafePointer<CChar>, Int32, UnsafePointer<CChar>, UInt32) -> Int32
    /// glibc's `renameat2` (not in Swift's Glibc module), looked up once.
    private static let renameat2: RenameAt2? = dlsym(nil, "renameat2").map { unsafeBitCast($0, to: RenameAt2.self) }
}
