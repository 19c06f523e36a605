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

import GRDB
import GRDBSQLite
let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
let rows = all.map { $0.row }
print("rows", seconds { _ = all.map { $0.row } })
let jsons = rows.map { $0.json }
for variant in ["plain", "noindex", "small-journal", "cbind"] {
    let q = try DatabaseQueue(path: dir.file("v-\(variant).sqlite"))
    try q.write { db in
        try db.execute(sql: "PRAGMA journal_mode=WAL")
        let wr = variant == "withoutrowid"
        try db.execute(sql: """
            CREATE TABLE alert_events (\(wr ? "" : "id INTEGER PRIMARY KEY,") idempotency_key TEXT NOT NULL \(wr ? "PRIMARY KEY" : "UNIQUE"), fingerprint TEXT NOT NULL, sender_fingerprint TEXT NOT NULL DEFAULT '', alertname TEXT NOT NULL, alert_key TEXT NOT NULL, status TEXT NOT NULL, starts_at TEXT NOT NULL, ends_at TEXT, labels TEXT NOT NULL, annotations TEXT NOT NULL, receiver TEXT, group_key TEXT, external_url TEXT, generator_url TEXT, source_sha256 TEXT, received_at TEXT NOT NULL, runner TEXT) \(wr ? "WITHOUT ROWID" : "");
            CREATE TABLE journal (seq INTEGER PRIMARY KEY AUTOINCREMENT, tbl TEXT NOT NULL, idempotency_key TEXT NOT NULL, json TEXT NOT NULL, created_at TEXT NOT NULL);
            """)
        if variant == "plain" {
            try db.execute(sql: "CREATE INDEX a1 ON alert_events (fingerprint, starts_at); CREATE INDEX a2 ON alert_events (alert_key, received_at);")
        }
    }
    let t = try seconds {
        try q.write { db in
            let s = try db.cachedStatement(sql: "INSERT OR IGNORE INTO alert_events (idempotency_key, fingerprint, sender_fingerprint, alertname, alert_key, status, starts_at, ends_at, labels, annotations, receiver, group_key, external_url, generator_url, source_sha256, received_at, runner) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
            let j = try db.cachedStatement(sql: "INSERT INTO journal (tbl, idempotency_key, json, created_at) VALUES (?, ?, ?, ?)")
            for (r, js) in zip(rows, jsons) {
                if variant == "cbind" {
                    let st = s.sqliteStatement
                    sqlite3_reset(st)
                    for (i, v) in r.values.enumerated() {
                        if let v { _ = v.withCString { sqlite3_bind_text(st, Int32(i + 1), $0, -1, transient) } } else { sqlite3_bind_null(st, Int32(i + 1)) }
                    }
                    guard sqlite3_step(st) == SQLITE_DONE else { fatalError() }
                } else {
                s.setUncheckedArguments(StatementArguments(r.values))
                try s.execute()
                }
                j.setUncheckedArguments(["alert_events", r.idempotencyKey, variant == "small-journal" || variant == "cbind" ? "" : js, "now"])
                try j.execute()
            }
        }
    }
    print("raw-\(variant)", t)
}
