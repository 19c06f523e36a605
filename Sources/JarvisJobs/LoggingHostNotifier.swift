import JarvisCore

/// `HostNotifier` that writes one log line per transition (stderr, and so the journal under
/// systemd) until the Discord notifier exists.
public struct LoggingHostNotifier: HostNotifier {
    /// Receives each line and whether it is bad news (→ OFFLINE), for the log priority.
    public typealias Write = @Sendable (_ line: String, _ isBadNews: Bool) -> Void

    let write: Write

    /// Creates a notifier.
    ///
    /// - Parameter write: Where lines go.
    public init(write: @escaping Write) {
        self.write = write
    }

    /// Writes `LoggingHostNotifier.line(for:)`.
    ///
    /// - Parameter transition: The committed transition.
    public func hostTransition(_ transition: HostTransition) {
        write(LoggingHostNotifier.line(for: transition), transition.to == .offline)
    }

    /// The line for a transition, e.g.
    /// `host vps: ONLINE → OFFLINE after 3 consecutive failed attempts (probe: connection refused)`.
    ///
    /// - Parameter transition: The transition.
    /// Logs a refused host key as bad news.
    public func hostKeyRefused(_ refusal: HostKeyRefusal) {
        write("host \(refusal.host): \(refusal.summary)", true)
    }

    public static func line(for transition: HostTransition) -> String {
        var text = "host \(transition.host): \(transition.from.rawValue) → \(transition.to.rawValue)"
        switch (transition.from, transition.to) {
        case (.online, .offline):
            let count = transition.consecutiveFailures
            text += " after \(count) consecutive failed attempt\(count == 1 ? "" : "s")"
        case (.checking, .offline):
            text += ": it answered a probe, then failed again"
        case (_, .checking):
            text += ": it answers on its SSH port; the next successful SSH session makes it ONLINE"
        case (_, .online):
            text += ": an SSH session (or local command) succeeded"
        default:
            break
        }
        if let error = transition.error { text += " (\(error))" }
        return text
    }
}
