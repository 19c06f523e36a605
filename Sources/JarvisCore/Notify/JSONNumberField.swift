/// Reads one numeric member of a top-level JSON object, e.g. `retry_after` in Discord's 429
/// body `{"message":"You are being rate limited.","retry_after":0.25,"global":false}`.
enum JSONNumberField {
    /// The value of the top-level member `name` when it is a number; nil when the body is not
    /// a JSON object, has no such member, or it is not a number.
    /// - Parameters:
    ///   - name: The member's key (compared after unescaping).
    ///   - body: UTF-8 JSON.
    static func read(_ name: String, in body: [UInt8]) -> Double? {
        guard !body.isEmpty else { return nil }
        var scratch = [UInt8](repeating: 0, count: body.count)
        return body.withUnsafeBufferPointer { bytes in
            scratch.withUnsafeMutableBufferPointer { scratch in
                var scanner = JSONScanner(bytes: bytes, scratch: scratch)
                do {
                    scanner.skipByteOrderMark()
                    scanner.skipWhitespace()
                    guard scanner.peek == UInt8(ascii: "{") else { return nil }
                    try scanner.enterObject()
                    var first = true
                    while let key = try scanner.nextMember(&first) {
                        let isWanted = scanner.string(key) == name
                        if isWanted, let byte = scanner.peek, byte == UInt8(ascii: "-") || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) {
                            let number = try scanner.scanNumber()
                            return Double(String(decoding: scanner.text(number), as: UTF8.self))
                        }
                        try scanner.skipValue()
                    }
                    return nil
                } catch {
                    return nil
                }
            }
        }
    }
}
