internal import CLibSSH2
import JarvisCore

/// One `LIBSSH2_CHANNEL` of a session, opened with `libssh2_channel_open_ex` ("session").
///
/// Keeps its session alive. `deinit` closes the channel (`libssh2_channel_close`) when the
/// connection is healthy and frees it (`libssh2_channel_free`), each bounded to half a second.
final class SSHChannel {
    let session: SSHSession
    let handle: OpaquePointer

    /// Opens a session channel.
    ///
    /// - Parameters:
    ///   - session: An authenticated session.
    ///   - deadline: When to give up.
    /// - Throws: `SSHError` `.connectFailed` (connection lost: nothing started), `.channelFailed`
    ///   or `.commandTimeout`.
    init(session: SSHSession, deadline: ContinuousClock.Instant) throws(SSHError) {
        self.session = session
        let raw = session.session
        handle = try session.performPointer("opening a channel", .openChannel, deadline: deadline) {
            jarvis_libssh2_channel_open_session(raw)
        }
    }

    deinit {
        let deadline = ContinuousClock.now.advanced(by: .milliseconds(500))
        let channel = handle
        if session.isBroken {
            session.socket.shutdownBoth()
        } else {
            _ = try? session.perform("closing the channel", .close, deadline: deadline) { libssh2_channel_close(channel) }
        }
        _ = try? session.perform("freeing the channel", .close, deadline: deadline) { libssh2_channel_free(channel) }
    }
}

@available(*, unavailable)
extension SSHChannel: Sendable {}
