#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// A failed system call on a spool path; `description` names the call, the path and errno's text.
public struct SpoolError: Error, Sendable, CustomStringConvertible {
    public var operation: String
    public var path: String
    public var errno: Int32

    public var description: String { "\(operation) \(path): \(String(cString: strerror(errno)))" }
}

/// Runs a system call, retrying on EINTR, and turns -1 into `SpoolError`.
@discardableResult
func check(_ operation: String, _ path: String, _ call: () -> Int32) throws(SpoolError) -> Int32 {
    while true {
        let result = call()
        if result != -1 { return result }
        if errno == EINTR { continue }
        throw SpoolError(operation: operation, path: path, errno: errno)
    }
}

/// Flushes a directory so that a rename or create in it survives power loss.
func fsyncDirectory(_ path: String) throws(SpoolError) {
    let fd = try check("open", path) { open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC) }
    defer { close(fd) }
    try check("fsync", path) { fsync(fd) }
}

/// Writes `bytes` to a new file at `path` (which must not exist) and fsyncs it.
func writeNewFile(_ path: String, _ bytes: some Collection<UInt8>, mode: mode_t = 0o640) throws(SpoolError) {
    let fd = try check("create", path) { open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, mode) }
    var failure: SpoolError?
    let array = Array(bytes)
    array.withUnsafeBytes { raw in
        var offset = 0
        while offset < raw.count {
            let n = write(fd, raw.baseAddress! + offset, raw.count - offset)
            if n < 0 {
                if errno == EINTR { continue }
                failure = SpoolError(operation: "write", path: path, errno: errno)
                return
            }
            offset += n
        }
    }
    if failure == nil, fsync(fd) != 0 { failure = SpoolError(operation: "fsync", path: path, errno: errno) }
    close(fd)
    if let failure {
        unlink(path)
        throw failure
    }
}

/// Creates `path` and its parents (mode 0750) if missing.
func makeDirectories(_ path: String) throws(SpoolError) {
    var current = path.hasPrefix("/") ? "" : "."
    for part in path.split(separator: "/") {
        current += "/" + part
        if mkdir(current, 0o750) != 0, errno != EEXIST {
            throw SpoolError(operation: "mkdir", path: current, errno: errno)
        }
    }
}

/// The names in a directory (no `.` and `..`), unsorted.
func listDirectory(_ path: String) throws(SpoolError) -> [String] {
    guard let dir = opendir(path) else { throw SpoolError(operation: "opendir", path: path, errno: errno) }
    defer { closedir(dir) }
    var names: [String] = []
    while let entry = readdir(dir) {
        let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
            String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
        }
        if name != "." && name != ".." { names.append(name) }
    }
    return names
}
