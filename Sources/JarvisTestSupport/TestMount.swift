import Foundation

/// A mount made for one test (root only): a small tmpfs to fill up, or a read-only bind of a
/// file or folder. Unmounted by `unmount()` or on deinit.
public final class TestMount: @unchecked Sendable {
    /// Where it is mounted.
    public let path: String
    private var mounted = true

    private init(path: String) {
        self.path = path
    }

    /// Mounts a tmpfs of `size` (`512k`, `1m`…) on `path`, creating the folder.
    public static func tmpfs(at path: String, size: String) throws -> TestMount {
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        try TestCommand.run("/bin/mount", ["-t", "tmpfs", "-o", "size=\(size),mode=0755", "tmpfs", path])
        return TestMount(path: path)
    }

    /// Binds `path` onto itself read-only: writes to it fail with EROFS, even for root.
    public static func readOnlyBind(_ path: String) throws -> TestMount {
        try TestCommand.run("/bin/mount", ["--bind", path, path])
        let mount = TestMount(path: path)
        try TestCommand.run("/bin/mount", ["-o", "remount,bind,ro", path, path])
        return mount
    }

    /// Changes a tmpfs's size (`64m`): a full disk that got space back.
    public func resize(_ size: String) throws {
        try TestCommand.run("/bin/mount", ["-o", "remount,size=\(size)", path])
    }

    /// Makes the mount read-only.
    public func makeReadOnly() throws {
        try TestCommand.run("/bin/mount", ["-o", "remount,ro", path])
    }

    /// Unmounts (lazily, so an open file never keeps it).
    public func unmount() {
        guard mounted else { return }
        mounted = false
        _ = try? TestCommand.run("/bin/umount", ["-l", path], check: false)
    }

    deinit { unmount() }
}
