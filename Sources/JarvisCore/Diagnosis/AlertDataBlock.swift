/// The alert as the model sees it: a one-line JSON document of its status, start, labels and
/// annotations, every value cut to `alertValueBytes` and the whole to `alertDataBytes`, between
/// two marker lines that carry a tag derived from the document's hash.
///
/// The document is JSON, so quotes and newlines in values are escaped and a value cannot end
/// the block: the closing marker is a line of its own, and the document is one line. The tag
/// makes the closing marker unguessable for text inside the block, which cannot contain its
/// own hash.
struct AlertDataBlock {
    /// The JSON document (one line).
    let document: String
    /// Entries left out because the document was full.
    let omitted: Int
    let tag: String

    var opening: String { "<<<BEGIN UNTRUSTED ALERT DATA \(tag)>>>" }
    var closing: String { "<<<END UNTRUSTED ALERT DATA \(tag)>>>" }
    var text: String { "\(opening)\n\(document)\n\(closing)" }

    /// Keys longer than this are cut too.
    static let keyBytes = 128

    init(alert: Alert, valueBytes: Int, totalBytes: Int) {
        var entries: [(section: Int, key: String, value: String)] = []
        for key in alert.labels.keys.sorted() {
            entries.append((0, UntrustedText.truncate(key, maxBytes: Self.keyBytes), alert.labels[key] ?? ""))
        }
        for key in alert.annotations.keys.sorted() {
            entries.append((1, UntrustedText.truncate(key, maxBytes: Self.keyBytes), alert.annotations[key] ?? ""))
        }
        let head = "{\"status\":\(UntrustedText.quoted(alert.status.rawValue)),\"startsAt\":\"\(alert.startsAt.rfc3339)\""
        // `,"labels":{}`, `,"annotations":{}`, `,"omitted":NNNNN`, `}`
        var room = totalBytes - head.utf8.count - 12 - 17 - 18 - 1
        var sections: [[String]] = [[], []]
        var omitted = 0
        for entry in entries {
            let key = UntrustedText.quoted(entry.key)
            var value = UntrustedText.truncate(entry.value, maxBytes: valueBytes)
            var size = key.utf8.count + 1 + UntrustedText.quotedLength(value) + 1
            if size > room {
                // Cut further to fit what is left, if a useful part fits.
                var bytes = room - key.utf8.count - 4
                while bytes >= 32, size > room {
                    value = UntrustedText.truncate(entry.value, maxBytes: bytes)
                    size = key.utf8.count + 1 + UntrustedText.quotedLength(value) + 1
                    bytes -= max(8, size - room)
                }
                if size > room {
                    omitted += 1
                    continue
                }
            }
            room -= size
            sections[entry.section].append("\(key):\(UntrustedText.quoted(value))")
        }
        var document = head
        document += ",\"labels\":{" + sections[0].joined(separator: ",") + "}"
        document += ",\"annotations\":{" + sections[1].joined(separator: ",") + "}"
        if omitted > 0 { document += ",\"omitted\":\(omitted)" }
        document += "}"
        self.document = document
        self.omitted = omitted
        self.tag = String(SHA256.hex(document).prefix(12))
    }
}
