import Foundation
import JarvisCore

/// Refused host keys, kept in the state folder (state document `host-key-refusals`): one per
/// host, with the digest of the known_hosts file it was refused against. While the file is
/// unchanged, jarvis does not connect to that host again (no session, no command); once it
/// changes (after `jarvis hosts scan` and a person's review), the next session tries again.
/// Each new refusal is one `host_status_log` row (the host's state on both sides, the
/// refusal as its error) and one message.
public struct HostKeyRefusals: Sendable {
    /// The state document's name.
    public static let documentName = "host-key-refusals"
    /// Where the document lives (live: the local database).
    public let journal: any JournalStateDocuments
    /// Whether refusals become `host_status_log` journal rows (PostgreSQL configured).
    public let journalRows: Bool
    /// This runner's name.
    public let runner: String

    /// The stamp of a known_hosts file (`HostKeyRefusal.knownHostsStamp`), read now.
    ///
    /// - Parameter path: The file.
    public static func stamp(_ path: String?) -> String {
        HostKeyRefusal.knownHostsStamp(path.flatMap { FileManager.default.contents(atPath: $0) }.map { [UInt8]($0) })
    }

    /// Every stored refusal, by host.
    public func load() throws -> [String: HostKeyRefusal] {
        guard let json = try journal.loadState(Self.documentName) else { return [:] }
        do {
            return try JSONDecoder().decode([String: HostKeyRefusal].self, from: Data(json.utf8))
        } catch {
            throw JournalError(
                "the refused host keys (state table, name '\(Self.documentName)') cannot be read: \(error); delete that row to forget them")
        }
    }

    /// The refusal still in force for `host`: recorded, and its known_hosts file unchanged since.
    public func standing(for host: HostDefinition) throws -> HostKeyRefusal? {
        guard let refusal = try load()[host.name], refusal.knownHostsStamp == Self.stamp(host.knownHostsFile) else { return nil }
        return refusal
    }

    /// Records `refusal` unless the same one (host, key, known_hosts stamp) is already stored.
    ///
    /// - Parameters:
    ///   - refusal: The refusal.
    ///   - status: The host's status now (its state goes on both sides of the log row).
    ///   - now: Written as the update time.
    /// - Returns: True when it is new: tell people now.
    public func record(_ refusal: HostKeyRefusal, status: HostStatus, now: Timestamp) throws -> Bool {
        var refusal = refusal
        if refusal.at.isEmpty { refusal.at = now.rfc3339 }
        var isNew = false
        try journal.updateState(Self.documentName, now: now) { stored in
            var refusals = try stored.map { try JSONDecoder().decode([String: HostKeyRefusal].self, from: Data($0.utf8)) } ?? [:]
            if let known = refusals[refusal.host], known.fingerprint == refusal.fingerprint, known.knownHostsStamp == refusal.knownHostsStamp {
                return JournalStateChange(json: nil, rows: [])
            }
            isNew = true
            refusals[refusal.host] = refusal
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            let json = String(decoding: try encoder.encode(refusals), as: UTF8.self)
            let key = "host-key-refused:\(refusal.host):\(refusal.fingerprint):\(refusal.knownHostsStamp)"
            let row = HostStateStore.logRow(
                key: key, host: refusal.host, from: status.state, to: status.state, error: refusal.summary,
                consecutiveFailures: status.consecutiveFailures, lastSuccessAt: status.lastSuccessAt, at: now, runner: runner)
            return JournalStateChange(json: json, rows: journalRows ? [row] : [])
        }
        return isNew
    }
}
