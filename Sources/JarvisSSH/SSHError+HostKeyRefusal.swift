import Foundation
import JarvisCore

extension SSHError {
    /// The refusal this error means, or nil when it is not a refused host key; its time is set
    /// when it is recorded.
    ///
    /// - Parameter host: The host the session was for.
    public func hostKeyRefusal(for host: HostDefinition) -> HostKeyRefusal? {
        guard isHostKeyRefusal else { return nil }
        let contents = host.knownHostsFile.flatMap { FileManager.default.contents(atPath: $0) }.map { [UInt8]($0) }
        return HostKeyRefusal(
            host: host.name, kind: code == .hostKeyMismatch ? .changed : .unknown, fingerprint: fingerprint ?? "unknown",
            knownHostsLine: knownHostsLine, knownHostsFile: host.knownHostsFile, knownHostsStamp: HostKeyRefusal.knownHostsStamp(contents),
            at: "")
    }
}
