import Foundation
import JarvisCore
import JarvisSQLite
import JarvisSpool
import JarvisTestSupport

func seconds(_ body: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

let files = 400, per = 50
let bodies = (0..<files).map { SyntheticPayloads.group(first: $0 * per, count: per) }
var webhooks: [AlertmanagerWebhook] = []
print("decode", try seconds { webhooks = try bodies.map { try AlertmanagerWebhook.decode($0) } })
print("sha", seconds { for b in bodies { _ = SHA256.hex(Array(b)) } })
var events: [[AlertEvent]] = []
print("events", seconds { events = webhooks.map { AlertEvent.events(from: $0, sourceSHA256: "x", receivedAt: Timestamp(seconds: 1), runner: "r") } })
print("json", seconds { for e in events { for x in e { _ = x.json } } })
print("fingerprint", seconds { for e in events { for x in e { _ = x.alert.fingerprint } } })
let dir = try TemporaryDirectory()
let journal = try JournalDatabase(path: dir.file("j.sqlite"))
print("record", try seconds { for e in events { _ = try journal.record(e, journal: true, now: Timestamp(seconds: 1)) } })
let journal2 = try JournalDatabase(path: dir.file("j2.sqlite"))
let all = events.flatMap { $0 }
print("record-one-txn", try seconds { _ = try journal2.record(all, journal: true, now: Timestamp(seconds: 1)) })
let journal3 = try JournalDatabase(path: dir.file("j3.sqlite"))
print("record-no-journal", try seconds { for e in events { _ = try journal3.record(e, journal: false, now: Timestamp(seconds: 1)) } })
