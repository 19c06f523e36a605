import Foundation

/// A TCP listener on 127.0.0.1 that lets clients connect and never says a word.
///
/// The kernel completes each TCP handshake into the listen backlog (1024); nothing ever
/// accepts or writes, so an SSH client waits for a banner that never comes, exactly like a
/// hung sshd. `close()` (or deinit) closes the socket, which resets the waiting clients.
public final class SilentListener: @unchecked Sendable {
    /// The port it listens on.
    public let port: Int
    private let fd: Int32
    private let lock = NSLock()
    private var closed = false

    /// Binds a free loopback port and listens.
    ///
    /// - Throws: `POSIXError` when the socket cannot be set up.
    public init() throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        var address = LoopbackPorts.loopback(port: 0)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, 1024) == 0 else {
            let code = errno
            _ = Glibc.close(fd)
            throw POSIXError(POSIXErrorCode(rawValue: code) ?? .EIO)
        }
        do {
            port = try LoopbackPorts.boundPort(fd)
        } catch {
            _ = Glibc.close(fd)
            throw error
        }
        self.fd = fd
    }

    /// Stops listening.
    public func close() {
        lock.lock()
        defer { lock.unlock() }
        guard !closed else { return }
        closed = true
        _ = Glibc.close(fd)
    }

    deinit { close() }
}
