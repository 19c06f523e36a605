import Foundation
import JarvisCore

/// Claims, reads and decodes spool files in order on a thread of its own, a few files ahead
/// of ingest's triage, so that decoding (parser, SHA-256) overlaps with triage on the
/// caller's thread and with the group commit on the committer's.
///
/// Files are claimed (renamed to `processing/`) before they are read, as before; files
/// claimed ahead but never taken (a stop, an error) go back to `incoming/` with `stop()`.
final class SpoolReadAhead<Spool: SpoolFolders>: @unchecked Sendable {
    /// One file, in queue order.
    enum Item: Sendable {
        /// Decoded: its events (not yet triaged) and the number of alerts in the file.
        case decoded(name: String, events: [AlertEvent], alerts: Int)
        /// To be moved to `rejected/` with this reason (unreadable, not JSON, not a webhook).
        case rejected(name: String, reason: String)
        /// Claimed by another run first.
        case taken(name: String)
    }

    private let condition = NSCondition()
    /// Guarded by `condition`.
    private var ready: [Result<Item, any Error>] = []
    private var finished = false
    private var stopping = false
    private let depth: Int

    /// Starts reading `queue` (names, and whether each is already in `processing/`).
    init(
        queue: [(name: String, claimed: Bool)], spool: Spool, depth: Int = 4, runner: String,
        now: @escaping @Sendable () -> Timestamp
    ) {
        self.depth = depth
        let thread = Thread { [self] in read(queue, spool: spool, runner: runner, now: now) }
        thread.name = "jarvis.ingest.read"
        thread.start()
    }

    private func read(_ queue: [(name: String, claimed: Bool)], spool: Spool, runner: String, now: @Sendable () -> Timestamp) {
        for item in queue {
            condition.lock()
            while ready.count >= depth && !stopping { condition.wait() }
            let stop = stopping
            condition.unlock()
            if stop { break }
            let result: Result<Item, any Error> = Result {
                if !item.claimed {
                    guard try spool.claim(item.name) else { return .taken(name: item.name) }
                }
                return try Self.decode(item.name, spool: spool, runner: runner, now: now)
            }
            condition.lock()
            ready.append(result)
            condition.broadcast()
            condition.unlock()
            if case .failure = result { break }
        }
        condition.lock()
        finished = true
        condition.broadcast()
        condition.unlock()
    }

    private static func decode(_ name: String, spool: Spool, runner: String, now: () -> Timestamp) throws -> Item {
        let bytes: [UInt8]
        switch try spool.read(name) {
        case .rejected(let reason): return .rejected(name: name, reason: reason)
        case .contents(let contents): bytes = contents
        }
        do {
            let webhook = try AlertmanagerWebhook.decode(bytes)
            let events = AlertEvent.events(from: webhook, sourceSHA256: spool.sha256Hex(bytes), receivedAt: now(), runner: runner)
            return .decoded(name: name, events: events, alerts: webhook.alerts.count)
        } catch {
            return .rejected(name: name, reason: error.reason)
        }
    }

    /// The next file in queue order; nil when all were read.
    /// - Throws: what claiming or reading a file threw (the files after it are not read).
    func next() throws -> Item? {
        condition.lock()
        defer { condition.unlock() }
        while ready.isEmpty && !finished { condition.wait() }
        guard !ready.isEmpty else { return nil }
        let result = ready.removeFirst()
        condition.broadcast()
        return try result.get()
    }

    /// Stops reading, waits for the thread, and returns the names it claimed that were never
    /// taken with `next` (in order), for the caller to put back.
    func stop() -> [String] {
        condition.lock()
        stopping = true
        condition.broadcast()
        while !finished { condition.wait() }
        // What was read and not taken; a file whose read failed stays in processing/.
        let left = ready.compactMap { try? $0.get().claimedName }
        ready = []
        condition.unlock()
        return left
    }
}

extension SpoolReadAhead.Item {
    /// The file's name when it is now in `processing/` (claimed by this run).
    var claimedName: String? {
        switch self {
        case .decoded(let name, _, _), .rejected(let name, _): return name
        case .taken: return nil
        }
    }
}
