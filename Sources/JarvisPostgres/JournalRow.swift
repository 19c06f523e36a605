package import JarvisCore

/// A journal entry checked and prepared for `PostgresStore.apply`: its JSON object's
/// top-level keys (the columns it fills) and the JSON text to send, which always holds
/// `idempotency_key`.
///
/// Only the top level of the object is scanned (nested values are skipped, not decoded), so
/// preparing a 500-byte row costs about as much as reading it once. The server parses the
/// JSON properly; this scan only has to find the keys and be right about where they are.
package struct JournalRow: Sendable {
    /// The journal position.
    package var seq: Int64
    /// The target table.
    package var table: String
    /// The object's top-level keys, in the order they appear.
    package var columns: [String]
    /// The JSON object to send.
    package var json: String
    /// The row's idempotency key (the entry's).
    package var idempotencyKey: String

    /// Scans `entry.json`. When the object has no `idempotency_key`, the entry's
    /// `idempotencyKey` is added as the first member; when it has one, it must be the same
    /// string.
    ///
    /// - Throws: `PGError` `.protocolViolation` when the JSON is not one object, a key is
    ///   repeated, or its `idempotency_key` is not the entry's. Messages name the `seq`,
    ///   never a value.
    package init(_ entry: JournalEntry) throws(PGError) {
        let scan: JournalJSON.Scan
        do {
            scan = try JournalJSON.scanObject(entry.json)
        } catch {
            throw PGError(code: .protocolViolation, message: "journal entry seq \(entry.seq) (\(entry.table)): \(error.reason)")
        }
        guard Set(scan.keys).count == scan.keys.count else {
            throw PGError(
                code: .protocolViolation, message: "journal entry seq \(entry.seq) (\(entry.table)): a key appears twice in its JSON object")
        }
        self.seq = entry.seq
        self.table = entry.table
        self.idempotencyKey = entry.idempotencyKey
        switch scan.idempotencyKey {
        case .absent:
            let member = "\"idempotency_key\":" + JournalJSON.stringLiteral(entry.idempotencyKey)
            let utf8 = entry.json.utf8
            let afterBrace = utf8.index(utf8.startIndex, offsetBy: scan.openingBraceOffset + 1)
            self.json = "{" + member + (scan.keys.isEmpty ? "" : ",") + String(entry.json[afterBrace...])
            self.columns = ["idempotency_key"] + scan.keys
        case .string(let value) where value == entry.idempotencyKey:
            self.json = entry.json
            self.columns = scan.keys
        case .string, .notAString:
            throw PGError(
                code: .protocolViolation,
                message: "journal entry seq \(entry.seq) (\(entry.table)): idempotency_key in the JSON differs from the entry's idempotencyKey")
        }
    }
}

/// The top-level scan of journal rows.
package enum JournalJSON {
    /// What `scanObject` found.
    package struct Scan: Sendable, Equatable {
        /// Top-level keys in order.
        package var keys: [String]
        /// The top-level `idempotency_key` member.
        package var idempotencyKey: Member
        /// Byte offset of the object's `{`.
        package var openingBraceOffset: Int
    }

    /// A member of interest.
    package enum Member: Sendable, Equatable {
        case absent
        case string(String)
        case notAString
    }

    /// Why a text is not one JSON object.
    package struct Failure: Error, Sendable, Equatable {
        package var reason: String
    }

    /// Scans one JSON object (with `JSONScanner`, which validates what it skips): its
    /// top-level keys and its `idempotency_key` string.
    ///
    /// - Throws: `Failure` when the text is not exactly one JSON object.
    package static func scanObject(_ text: String) throws(Failure) -> Scan {
        var text = text
        text.makeContiguousUTF8()
        let result: Result<Scan, WebhookDecodingError>? = text.utf8.withContiguousStorageIfAvailable { bytes in
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: bytes.count) { scratch in
                var json = JSONScanner(bytes: bytes, scratch: scratch)
                return Result { () throws(WebhookDecodingError) in try scanObject(&json) }
            }
        }
        switch result {
        case .success(let scan)?: return scan
        case .failure(let error)?: throw Failure(reason: error.reason)
        case nil: throw Failure(reason: "the JSON text is not contiguous UTF-8")
        }
    }

    private static func scanObject(_ json: inout JSONScanner) throws(WebhookDecodingError) -> Scan {
        json.skipWhitespace()
        let brace = json.index
        guard json.peek == UInt8(ascii: "{") else { throw WebhookDecodingError("the JSON text is not an object") }
        try json.enterObject()
        var keys: [String] = []
        var idempotencyKey = Member.absent
        var first = true
        while let token = try json.nextMember(&first) {
            let key = json.string(token)
            if key == "idempotency_key", json.peek == UInt8(ascii: "\"") {
                idempotencyKey = .string(json.string(try json.scanString()))
            } else {
                if key == "idempotency_key" { idempotencyKey = .notAString }
                try json.skipValue()
            }
            keys.append(key)
        }
        try json.expectEnd()
        return Scan(keys: keys, idempotencyKey: idempotencyKey, openingBraceOffset: brace)
    }

    /// `value` as a JSON string literal, quotes included.
    package static func stringLiteral(_ value: String) -> String {
        var out = ""
        JSONWriter.appendQuoted(value, to: &out)
        return out
    }
}
