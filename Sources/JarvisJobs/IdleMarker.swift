import Foundation
import JarvisCore

/// `STATE/idle-until`: until when an ingest run on an empty spool has nothing to do, so that
/// the timer's frequent empty runs need not open SQLite at all.
///
/// Written last by a run that finished everything (no journal rows waiting for PostgreSQL):
/// the earliest of the next open window's end, the next verification deadline and the next
/// Discord retry, and at most `maximumIdle` away. Removed first by every run that does work,
/// so a run that dies leaves none; removed by `maintenance`, `approve` and `reject`, which
/// change what the next run must do. A missing or unreadable file means "work now".
public enum IdleMarker {
    /// Never idle longer than this [5 min]: anything the marker does not know of (a changed
    /// configuration, a root cause's TTL) waits at most this long.
    public static let maximumIdle = 300.0

    public static func path(_ configuration: JarvisConfiguration) -> String { configuration.stateDir + "/idle-until" }

    /// True when the marker says the run may skip the journal at `now`.
    public static func isIdle(_ configuration: JarvisConfiguration, now: Timestamp) -> Bool {
        guard let data = FileManager.default.contents(atPath: path(configuration)),
            let until = Timestamp(rfc3339: String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
        else { return false }
        return now < until && until.seconds(since: now) <= maximumIdle
    }

    public static func remove(_ configuration: JarvisConfiguration) {
        unlink(path(configuration))
    }

    /// Writes the marker for what `journal` holds now; writes none when work is waiting.
    public static func write(_ configuration: JarvisConfiguration, journal: some IngestJournal, now: Timestamp) throws {
        if !configuration.isEmbedded, try journal.depth().rows > 0 { return }
        var until = now.adding(seconds: maximumIdle)
        func consider(_ time: Timestamp?) {
            if let time, time < until { until = time }
        }
        for window in try journal.maintenanceWindows(includeEnded: false, now: now) { consider(window.endsAt) }
        let verification = configuration.remediation.verificationWindow
        for record in try journal.remediations(where: .awaitingVerification, limit: 1000) {
            consider((record.outcomeAt ?? record.intentAt).adding(seconds: verification))
        }
        if try !journal.remediations(where: .intentWithoutOutcome, limit: 1000).isEmpty { return }
        let outbox = try journal.outboxDepth()
        if outbox.pending > 0 { consider(try journal.nextOutboxAttempt() ?? now) }
        guard until > now else { return }
        let file = path(configuration)
        let temporary = file + ".tmp"
        guard FileManager.default.createFile(atPath: temporary, contents: Data((until.rfc3339 + "\n").utf8)) else { return }
        rename(temporary, file)
    }
}
