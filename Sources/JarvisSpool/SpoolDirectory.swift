import JarvisCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The durable spool that Alertmanager notifications arrive in.
///
/// ```
/// spool/tmp/         files being written (by enqueue/accept); never read by ingest
/// spool/incoming/    complete files, renamed in
/// spool/processing/  files claimed by an ingest run (rename); leftovers of a crashed run are
///                    reclaimed by the next run, which holds the ingest lock
/// spool/rejected/    bad input, each with a NAME.reason file beside it
/// ```
/// Every step is a rename within one file system, so a file is always in exactly one
/// folder, and a crash at any instant leaves it somewhere the next run looks.
public struct SpoolDirectory: Sendable {
    public let root: String
    /// Files larger than this are rejected unread [1 MiB].
    public let maxFileSize: Int

    public var incoming: String { root + "/incoming" }
    public var processing: String { root + "/processing" }
    public var rejected: String { root + "/rejected" }
    public var temporary: String { root + "/tmp" }

    /// Opens (and creates, if missing) a spool at `root`.
    /// - Throws: `SpoolError` when a folder cannot be created.
    public init(root: String, maxFileSize: Int = 1 << 20, create: Bool = true) throws(SpoolError) {
        self.root = root.count > 1 && root.hasSuffix("/") ? String(root.dropLast()) : root
        self.maxFileSize = maxFileSize
        if create {
            for dir in [incoming, processing, rejected, temporary] { try makeDirectories(dir) }
        }
    }

    // MARK: Writing

    /// Drops a payload durably: writes it to `tmp/`, fsyncs it, renames it into `incoming/`
    /// and fsyncs `incoming/`. When this returns, the file survives a crash or power loss.
    /// - Returns: the file's name in `incoming/`.
    /// - Throws: `SpoolError` (ENOSPC included: nothing is left behind) or
    ///   `SpoolRejection` when the payload is over the size limit.
    @discardableResult
    public func enqueue(_ bytes: some Collection<UInt8>) throws -> String {
        guard bytes.count <= maxFileSize else {
            throw SpoolRejection("payload is \(bytes.count) bytes, over the \(maxFileSize)-byte limit")
        }
        let name = SpoolDirectory.newName()
        let temp = temporary + "/" + name + ".part"
        try writeNewFile(temp, bytes)
        do {
            try check("rename", temp) { rename(temp, incoming + "/" + name) }
        } catch {
            unlink(temp)
            throw error
        }
        try fsyncDirectory(incoming)
        return name
    }

    /// A name that sorts by arrival: nanoseconds since the epoch, pid and a random part.
    static func newName() -> String {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        let stamp = String(Int64(now.tv_sec) * 1_000_000_000 + Int64(now.tv_nsec))
        let padded = String(repeating: "0", count: max(0, 20 - stamp.count)) + stamp
        return "\(padded)-\(getpid())-\(String(UInt32.random(in: 0...UInt32.max), radix: 16)).json"
    }

    // MARK: Claiming

    /// Files waiting in `incoming/`, oldest first. Names starting with `.` or ending in
    /// `.part`/`.tmp` are someone's writes in progress and are skipped.
    public func pending() throws(SpoolError) -> [String] {
        try listDirectory(incoming).filter(SpoolDirectory.isCandidate).sorted()
    }

    /// Files a crashed run left in `processing/`, oldest first. Call only while holding the
    /// ingest lock, so they are not another live run's claims.
    public func leftovers() throws(SpoolError) -> [String] {
        try listDirectory(processing).sorted()
    }

    static func isCandidate(_ name: String) -> Bool { SpoolNames.isCandidate(name) }

    /// Claims `name` by renaming it from `incoming/` to `processing/`.
    /// - Returns: false when another run claimed it first.
    public func claim(_ name: String) throws(SpoolError) -> Bool {
        let from = incoming + "/" + name
        if rename(from, processing + "/" + name) == 0 { return true }
        if errno == ENOENT { return false }
        throw SpoolError(operation: "rename", path: from, errno: errno)
    }

    /// Puts a claimed file back into `incoming/` (claimed ahead, then not processed). A file
    /// of the same name that arrived meanwhile is never replaced: the claimed one then stays
    /// in `processing/`, where the next run reclaims it.
    public func unclaim(_ name: String) throws(SpoolError) {
        let from = processing + "/" + name
        let to = incoming + "/" + name
        if link(from, to) != 0 {
            if errno == EEXIST || errno == ENOENT { return }
            throw SpoolError(operation: "link", path: to, errno: errno)
        }
        if unlink(from) != 0, errno != ENOENT { throw SpoolError(operation: "unlink", path: from, errno: errno) }
    }

    /// Reads a claimed file, refusing anything that is not a regular file within the size
    /// limit. Symbolic links are never followed.
    public func read(_ name: String) throws(SpoolError) -> SpoolRead {
        let path = processing + "/" + name
        var info = stat()
        try check("lstat", path) { lstat(path, &info) }
        if let refusal = refusal(for: info) { return .rejected(refusal) }
        let fd: Int32
        do {
            fd = try check("open", path) { open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC) }
        } catch  where error.errno == ELOOP {
            return .rejected("is a symbolic link (not followed)")
        }
        defer { close(fd) }
        try check("fstat", path) { fstat(fd, &info) }
        if let refusal = refusal(for: info) { return .rejected(refusal) }
        var bytes = [UInt8](repeating: 0, count: Int(info.st_size) + 1)
        var total = 0
        while total < bytes.count {
            let n = bytes.withUnsafeMutableBytes { raw in Glibc.read(fd, raw.baseAddress! + total, raw.count - total) }
            if n < 0 {
                if errno == EINTR { continue }
                throw SpoolError(operation: "read", path: path, errno: errno)
            }
            if n == 0 { break }
            total += n
            if total > maxFileSize { return .rejected("grew past the \(maxFileSize)-byte limit while being read") }
        }
        bytes.removeSubrange(total...)
        return .contents(bytes)
    }

    private func refusal(for info: stat) -> String? {
        switch info.st_mode & S_IFMT {
        case S_IFLNK: return "is a symbolic link (not followed)"
        case S_IFDIR: return "is a directory, not a regular file"
        case S_IFREG:
            return Int(info.st_size) > maxFileSize ? "is \(info.st_size) bytes, over the \(maxFileSize)-byte limit" : nil
        default: return "is not a regular file (a device, socket or pipe)"
        }
    }

    // MARK: Finishing

    /// Removes a claimed file. Call only after the journal rows it produced are committed
    /// and synced.
    public func complete(_ name: String) throws(SpoolError) {
        let path = processing + "/" + name
        if unlink(path) != 0, errno != ENOENT { throw SpoolError(operation: "unlink", path: path, errno: errno) }
    }

    /// Moves a claimed file to `rejected/` and writes `NAME.reason` beside it.
    /// - Returns: the name it has in `rejected/` (a suffix is added if the name was taken).
    @discardableResult
    public func reject(_ name: String, reason: String) throws(SpoolError) -> String {
        try moveToRejected(processing + "/" + name, name: name, reason: reason)
    }

    /// Keeps a payload that never entered `incoming/` (a body `accept` refused) in
    /// `rejected/` with its reason: written to `tmp/` and fsynced like `enqueue`, then renamed.
    /// - Returns: its name in `rejected/`.
    @discardableResult
    public func rejectPayload(_ bytes: some Collection<UInt8>, reason: String) throws(SpoolError) -> String {
        let name = SpoolDirectory.newName()
        let temp = temporary + "/" + name + ".part"
        try writeNewFile(temp, bytes)
        do {
            return try moveToRejected(temp, name: name, reason: reason)
        } catch {
            unlink(temp)
            throw error
        }
    }

    /// Moves every name in `incoming/` that is not a spool file (`.`-prefixed, `.part`,
    /// `.tmp`: writes belong in `tmp/`, renamed in when complete) to `rejected/` with a reason.
    /// - Returns: each moved file's name in `rejected/` and the reason.
    public func rejectStrays() throws(SpoolError) -> [(name: String, reason: String)] {
        var moved: [(name: String, reason: String)] = []
        for name in try listDirectory(incoming).sorted() where !SpoolDirectory.isCandidate(name) {
            let reason = "not a spool file name (starts with '.' or ends in .part/.tmp): write in \(temporary), then rename into incoming/"
            do {
                moved.append((try moveToRejected(incoming + "/" + name, name: name, reason: reason), reason))
            } catch  where error.errno == ENOENT {
                continue  // renamed away meanwhile
            }
        }
        return moved
    }

    /// Writes `rejected/TARGET.reason`, then renames `path` to `rejected/TARGET` (TARGET is
    /// `name`, with a suffix if taken) and fsyncs the folder.
    private func moveToRejected(_ path: String, name: String, reason: String) throws(SpoolError) -> String {
        var target = name
        var counter = 1
        while access(rejected + "/" + target, F_OK) == 0 || access(rejected + "/" + target + ".reason", F_OK) == 0 {
            target = "\(name).\(counter)"
            counter += 1
        }
        let text = reason.hasSuffix("\n") ? reason : reason + "\n"
        let temp = temporary + "/" + target + ".reason.part"
        unlink(temp)
        try writeNewFile(temp, Array(text.utf8))
        try check("rename", temp) { rename(temp, rejected + "/" + target + ".reason") }
        try check("rename", path) { rename(path, rejected + "/" + target) }
        try fsyncDirectory(rejected)
        return target
    }

    // MARK: Status

    /// How many files wait in each folder (`rejected` counts payloads, not `.reason` files).
    public func backlog() throws(SpoolError) -> SpoolBacklog {
        SpoolBacklog(
            incoming: try listDirectory(incoming).filter(SpoolDirectory.isCandidate).count,
            processing: try listDirectory(processing).count,
            rejected: try listDirectory(rejected).filter { !$0.hasSuffix(".reason") }.count)
    }
}

/// A payload refused before it entered the spool.
public struct SpoolRejection: Error, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// Files per spool folder.
public struct SpoolBacklog: Sendable, Equatable, Codable {
    public var incoming: Int
    public var processing: Int
    public var rejected: Int

    public init(incoming: Int, processing: Int, rejected: Int) {
        self.incoming = incoming
        self.processing = processing
        self.rejected = rejected
    }
}
