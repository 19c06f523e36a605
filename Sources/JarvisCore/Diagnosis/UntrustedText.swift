/// Cuts untrusted text to size before it reaches the model.
enum UntrustedText {
    /// The marker a cut value ends with.
    static let cutMarker = "…[truncated]"

    /// `text` when it fits in `maxBytes` UTF-8 bytes; else its longest prefix of whole
    /// characters that fits together with `cutMarker`.
    static func truncate(_ text: String, maxBytes: Int) -> String {
        guard text.utf8.count > maxBytes else { return text }
        let room = maxBytes - cutMarker.utf8.count
        guard room > 0 else { return String(cutMarker.prefix(max(0, maxBytes))) }
        var kept = ""
        var used = 0
        for character in text {
            let size = character.utf8.count
            if used + size > room { break }
            kept.append(character)
            used += size
        }
        return kept + cutMarker
    }

    /// `text` when it fits in `maxBytes`; else its head and tail around a note of what was cut
    /// (command output: the first lines say what ran, the last ones how it ended).
    static func headAndTail(_ text: String, maxBytes: Int) -> String {
        let bytes = Array(text.utf8)
        guard bytes.count > maxBytes else { return text }
        let note = "\n[… \(bytes.count - maxBytes) bytes cut …]\n"
        let room = max(0, maxBytes - note.utf8.count)
        var head = room / 2
        var tail = bytes.count - (room - head)
        // Do not split a UTF-8 sequence: move off continuation bytes.
        while head > 0, bytes[head] & 0xC0 == 0x80 { head -= 1 }
        while tail < bytes.count, bytes[tail] & 0xC0 == 0x80 { tail += 1 }
        return String(decoding: bytes[..<head], as: UTF8.self) + note + String(decoding: bytes[tail...], as: UTF8.self)
    }

    /// Length of `text` as a JSON string literal, quotes included.
    static func quotedLength(_ text: String) -> Int {
        var out = ""
        JSONWriter.appendQuoted(text, to: &out)
        return out.utf8.count
    }

    static func quoted(_ text: String) -> String {
        var out = ""
        JSONWriter.appendQuoted(text, to: &out)
        return out
    }
}
