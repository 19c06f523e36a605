/// The 64-bit hash of an alert event's idempotency key, stored in `alert_events.key_hash`.
///
/// The local `alert_events` table indexes this integer instead of the 55-byte key text: the
/// index is a quarter of the size, so a group commit of random keys dirties (and writes to
/// the WAL) a quarter of the pages. The hash only narrows the search: a row is the same
/// event only if its `idempotency_key` text is equal too, so a collision never merges two
/// events (`JournalDatabase.recordFiles`).
///
/// FNV-1a 64 over the key's UTF-8 bytes, as a signed SQLite integer. Never change it: the
/// stored values would stop matching.
enum AlertEventKeyHash {
    static func of(_ key: String) -> Int64 {
        var hash: UInt64 = 14_695_981_039_346_656_037
        for byte in key.utf8 { hash = (hash ^ UInt64(byte)) &* 1_099_511_628_211 }
        return Int64(bitPattern: hash)
    }
}
