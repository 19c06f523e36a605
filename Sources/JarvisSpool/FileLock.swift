#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// An exclusive `flock(2)` on a lock file, held until `release()` or deinit.
///
/// The kernel drops the lock when the process dies (kill -9 included), so a crashed run
/// never leaves a stale lock behind.
public final class FileLock {
    private var fd: Int32
    public let path: String

    private init(fd: Int32, path: String) {
        self.fd = fd
        self.path = path
    }

    /// Takes the lock at `path`, waiting up to `timeout` seconds for another holder.
    /// - Returns: nil when the lock is still held by another process after `timeout`.
    /// - Throws: `SpoolError` when the lock file cannot be opened.
    public static func acquire(_ path: String, timeout: Double) throws(SpoolError) -> FileLock? {
        let fd = try check("open", path) { open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o640) }
        var waited = 0.0
        while true {
            if flock(fd, LOCK_EX | LOCK_NB) == 0 {
                let lock = FileLock(fd: fd, path: path)
                lock.writeOwner()
                return lock
            }
            guard errno == EWOULDBLOCK || errno == EINTR else {
                let error = SpoolError(operation: "flock", path: path, errno: errno)
                close(fd)
                throw error
            }
            if waited >= timeout {
                close(fd)
                return nil
            }
            usleep(20_000)
            waited += 0.02
        }
    }

    /// The pid written into the lock file by its current holder (for messages only).
    public static func holder(_ path: String) -> Int32? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: 16)
        let n = read(fd, &buffer, 15)
        guard n > 0 else { return nil }
        return Int32(String(decoding: buffer[0..<n], as: UTF8.self).trimmingCharacters(in: " \n"))
    }

    private func writeOwner() {
        let text = Array("\(getpid())\n".utf8)
        _ = ftruncate(fd, 0)
        _ = pwrite(fd, text, text.count, 0)
    }

    public func release() {
        guard fd >= 0 else { return }
        _ = ftruncate(fd, 0)
        close(fd)
        fd = -1
    }

    deinit { release() }
}

extension String {
    fileprivate func trimmingCharacters(in set: String) -> String {
        var scalars = Substring(self)
        while let first = scalars.first, set.contains(first) { scalars.removeFirst() }
        while let last = scalars.last, set.contains(last) { scalars.removeLast() }
        return String(scalars)
    }
}
