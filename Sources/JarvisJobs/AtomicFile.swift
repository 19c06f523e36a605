import Foundation

/// Replaces a file in one step: the bytes go to a temp file beside it, which is then renamed
/// (or swapped) into place. A reader that opens the file sees the old one or the new one,
/// never a part; a run killed midway leaves the old file and at most a temp file, which a
/// later write replaces. Temp names end in `.tmp` or `.tmp.PID`, names node_exporter's
/// textfile collector ignores.
enum AtomicFile {
    /// Writes `bytes` to `path`.
    ///
    /// - Parameters:
    ///   - bytes: The content.
    ///   - path: The file to replace.
    ///   - mode: Permissions, set explicitly (the umask does not narrow them).
    ///   - sync: fsync the file before the rename (durable across power loss); off for files
    ///     that are rewritten every run anyway, which take `swapIn` (no file created or
    ///     deleted); the price is that after a power loss such a file may be empty until it
    ///     is next written.
    /// - Throws: `FileWriteError` naming the failing call.
    static func write(_ bytes: [UInt8], to path: String, mode: mode_t, sync: Bool = true) throws {
        if !sync, try swapIn(bytes, to: path, mode: mode) { return }
        let temporary = "\(path).tmp.\(getpid())"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, mode)
        guard fd >= 0 else { throw FileWriteError("cannot create \(temporary): \(String(cString: strerror(errno)))") }
        var failure = writeAll(bytes, to: fd).map { "cannot write \(temporary): \(String(cString: strerror($0)))" }
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
            throw FileWriteError(failure)
        }
    }

    /// Writes `bytes` over the reusable temp file `PATH.tmp` (the previous version of the
    /// file, left there by the last swap) and swaps it with `path` (`renameat2` with
    /// `RENAME_EXCHANGE`). No file is created or deleted, and no file is truncated to nothing
    /// nor renamed over another: on ext4 each of those costs a fraction of a millisecond to
    /// several (inode and journal work; `auto_da_alloc` writing the new data out first),
    /// where this costs some microseconds. The temp file stays locked (`flock`) until the
    /// swap is done; a reader still holding a file from two writes ago may see it change.
    /// - Returns: false when another run holds the temp file (or swapped it in after this
    ///   one opened it), or the system lacks the call: the caller writes a temp file of its
    ///   own instead.
    /// - Throws: `FileWriteError` naming the failing call.
    private static func swapIn(_ bytes: [UInt8], to path: String, mode: mode_t) throws -> Bool {
        guard renameat2 != nil else { return false }
        let temporary = "\(path).tmp"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW, mode)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var opened = stat()
        var named = stat()
        guard flock(fd, LOCK_EX | LOCK_NB) == 0, fstat(fd, &opened) == 0, lstat(temporary, &named) == 0,
            opened.st_ino == named.st_ino && opened.st_dev == named.st_dev
        else { return false }
        if let error = writeAll(bytes, to: fd) { throw FileWriteError("cannot write \(temporary): \(String(cString: strerror(error)))") }
        // Shorter than the previous version: cut its tail (never to nothing, see above).
        if opened.st_size > off_t(bytes.count) && ftruncate(fd, off_t(bytes.count)) != 0 {
            throw FileWriteError("cannot truncate \(temporary): \(String(cString: strerror(errno)))")
        }
        if opened.st_mode & 0o7777 != mode && fchmod(fd, mode) != 0 {
            throw FileWriteError("cannot chmod \(temporary): \(String(cString: strerror(errno)))")
        }
        // No file to swap with yet (the first write): a plain rename replaces nothing.
        if !exchange(temporary, path) && rename(temporary, path) != 0 {
            throw FileWriteError("cannot rename \(temporary) to \(path): \(String(cString: strerror(errno)))")
        }
        return true
    }

    /// Writes all of `bytes` from the start of `fd` (`pwrite`, again after a short write or
    /// an interruption). - Returns: nil, or the `errno` of the call that failed.
    private static func writeAll(_ bytes: [UInt8], to fd: Int32) -> Int32? {
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBufferPointer { pwrite(fd, $0.baseAddress! + offset, $0.count - offset, off_t(offset)) }
            if written >= 0 {
                offset += written
            } else if errno != EINTR {
                return errno
            }
        }
        return nil
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

/// A file jarvis was asked to write (the report, a metrics file, a patterns export) that could
/// not be written; the description names the file and the reason.
public struct FileWriteError: Error, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
