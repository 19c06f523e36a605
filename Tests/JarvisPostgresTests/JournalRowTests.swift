import JarvisCore
import JarvisPostgres
import Testing

extension PostgresTests {
    /// The top-level scan that prepares journal rows (no server needed).
    @Suite struct JournalRowTests {
        func entry(_ json: String, key: String = "k1", table: String = "alert_events", seq: Int64 = 1) -> JournalEntry {
            JournalEntry(seq: seq, table: table, idempotencyKey: key, json: json, createdAt: Timestamp(seconds: 0))
        }

        @Test func topLevelKeysAreFoundAndNestedOnesSkipped() throws {
            let json =
                #" { "idempotency_key" : "k1", "labels": {"a": {"deep": [1, "}", "\"]"]}, "x": 1}, "n": -1.5e3, "b": true, "z": null, "s": "a,\"b\"}" } "#
            let scan = try JournalJSON.scanObject(json)
            #expect(scan.keys == ["idempotency_key", "labels", "n", "b", "z", "s"])
            #expect(scan.idempotencyKey == .string("k1"))
        }

        @Test func escapedKeysAndValuesAreDecoded() throws {
            let scan = try JournalJSON.scanObject(#"{"idempotency_\u006bey":"a\"b\\c\u00e9\ud83d\ude80","x":1}"#)
            #expect(scan.keys == ["idempotency_key", "x"])
            #expect(scan.idempotencyKey == .string("a\"b\\cé🚀"))
        }

        @Test(arguments: [
            "", "[]", "{", "{\"a\":1", "{\"a\" 1}", "{a:1}", "{\"a\":}", "{\"a\":1,}", "{\"a\":1} x", "{\"a\":\"open}",
            "{\"a\":[1,2}", "{\"\\ud800\":1}", "\"string\"",
        ])
        func malformedObjectsAreRejected(json: String) {
            #expect(throws: JournalJSON.Failure.self) { try JournalJSON.scanObject(json) }
        }

        @Test func aMissingIdempotencyKeyIsAddedFromTheEntry() throws {
            let row = try JournalRow(entry(#"  {"alertname":"Disk"}"#, key: "key \"quoted\"\n"))
            #expect(row.columns == ["idempotency_key", "alertname"])
            #expect(row.json == #"{"idempotency_key":"key \"quoted\"\n","alertname":"Disk"}"#)
            let rescanned = try JournalJSON.scanObject(row.json)
            #expect(rescanned.idempotencyKey == .string("key \"quoted\"\n"))
            let empty = try JournalRow(entry("{}"))
            #expect(empty.json == #"{"idempotency_key":"k1"}"#)
        }

        @Test func aDifferentIdempotencyKeyInTheJSONIsRefused() throws {
            let error = try #require(throws: PGError.self) { try JournalRow(entry(#"{"idempotency_key":"other"}"#, seq: 42)) }
            #expect(error.code == .protocolViolation)
            #expect(error.message.contains("seq 42"))
            #expect(!error.message.contains("other"))
            #expect(throws: PGError.self) { try JournalRow(entry(#"{"idempotency_key":7}"#)) }
        }

        @Test func repeatedKeysAreRefused() {
            #expect(throws: PGError.self) { try JournalRow(entry(#"{"a":1,"a":2}"#)) }
        }

        @Test func stringLiteralsEscapeControlCharacters() {
            #expect(JournalJSON.stringLiteral("a\u{1}b\t\"\\") == #""a\u0001b\t\"\\""#)
        }
    }
}
