internal import CLibPQ

#if canImport(Glibc)
    internal import Glibc
#elseif canImport(Darwin)
    internal import Darwin
#endif

/// Removes secrets from text that libpq or the server produced before it reaches a `PGError`.
///
/// libpq's connection errors normally name only the host and port, but some of them quote
/// part of the connection string (for example `invalid percent-encoded token: "s3%zz"` for a
/// bad URL password), so every message is scrubbed of every password we can find: the one
/// `PQconninfoParse` reports, the raw and percent-decoded password of a URL or
/// `password=` conninfo text (also when libpq cannot parse it), and `PGPASSWORD`.
package struct PGRedaction: Sendable {
    /// The replacement text.
    package static let marker = "<redacted>"

    private var secrets: [String]

    /// Collects the secrets of a connection string (URL or conninfo) and of the environment.
    package init(connectionString: String?, environmentPassword: String? = PGRedaction.environmentPassword()) {
        var found: [String] = []
        if let text = connectionString {
            found += PGRedaction.parsedPasswords(text)
            found += PGRedaction.urlPasswords(text)
            found += PGRedaction.conninfoPasswords(text)
        }
        if let environmentPassword { found.append(environmentPassword) }
        // Longest first, so that a secret containing another is replaced whole.
        secrets = Array(Set(found.filter { !$0.isEmpty })).sorted { $0.utf8.count > $1.utf8.count }
    }

    /// `text` with every known secret replaced by `<redacted>`.
    package func redact(_ text: String) -> String {
        var out = text
        for secret in secrets where out.contains(secret) {
            out = out.replacing(secret, with: PGRedaction.marker)
        }
        return out
    }

    /// The value of `PGPASSWORD`, which libpq uses when no password is given.
    package static func environmentPassword() -> String? {
        guard let value = getenv("PGPASSWORD") else { return nil }
        return String(cString: value)
    }

    /// The password libpq itself finds in `text` (wraps `PQconninfoParse`), if it can parse it.
    private static func parsedPasswords(_ text: String) -> [String] {
        var errorMessage: UnsafeMutablePointer<CChar>?
        let options = PQconninfoParse(text, &errorMessage)
        if let errorMessage { PQfreemem(errorMessage) }
        guard let options else { return [] }
        defer { PQconninfoFree(options) }
        var found: [String] = []
        var index = 0
        while let keyword = options[index].keyword {
            if String(cString: keyword) == "password", let value = options[index].val {
                found.append(String(cString: value))
            }
            index += 1
        }
        return found
    }

    /// The password of `scheme://user:password@host…`, raw and percent-decoded.
    private static func urlPasswords(_ text: String) -> [String] {
        guard let schemeEnd = text.firstRange(of: "://") else { return [] }
        let rest = text[schemeEnd.upperBound...]
        guard let at = rest.lastIndex(of: "@") else { return [] }
        let userInfo = rest[..<at]
        guard let colon = userInfo.firstIndex(of: ":") else { return [] }
        let raw = String(userInfo[userInfo.index(after: colon)...])
        return [raw, percentDecoded(raw)]
    }

    /// The values of `password=…` in conninfo text (quoted or not), as written.
    private static func conninfoPasswords(_ text: String) -> [String] {
        var found: [String] = []
        var searchStart = text.startIndex
        while let match = text[searchStart...].firstRange(of: "password") {
            searchStart = match.upperBound
            var index = match.upperBound
            while index < text.endIndex, text[index] == " " { index = text.index(after: index) }
            guard index < text.endIndex, text[index] == "=" else { continue }
            index = text.index(after: index)
            while index < text.endIndex, text[index] == " " { index = text.index(after: index) }
            guard index < text.endIndex else { break }
            var value = ""
            if text[index] == "'" {
                index = text.index(after: index)
                while index < text.endIndex, text[index] != "'" {
                    if text[index] == "\\" { index = text.index(after: index) }
                    if index < text.endIndex {
                        value.append(text[index])
                        index = text.index(after: index)
                    }
                }
            } else {
                while index < text.endIndex, !text[index].isWhitespace, text[index] != "&" {
                    value.append(text[index])
                    index = text.index(after: index)
                }
            }
            found += [value, percentDecoded(value)]
        }
        return found
    }

    private static func percentDecoded(_ text: String) -> String {
        var bytes: [UInt8] = []
        var iterator = Array(text.utf8)[...]
        while let byte = iterator.popFirst() {
            if byte == UInt8(ascii: "%"), iterator.count >= 2,
                let value = UInt8(String(decoding: iterator.prefix(2), as: UTF8.self), radix: 16)
            {
                bytes.append(value)
                iterator = iterator.dropFirst(2)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// Removes bind values from a server error message.
///
/// Data errors (SQLSTATE class 22) quote the offending input, e.g. `invalid input syntax for
/// type integer: "abc"`, so every double-quoted part of such a message is replaced; and any
/// bind value of four bytes or more that appears verbatim anywhere is replaced too.
package func redactBindValues(_ message: String, sqlState: String?, binds: [String?]) -> String {
    guard !binds.isEmpty else { return message }
    var out = message
    if let sqlState, sqlState.hasPrefix("22") {
        var result = ""
        var inQuote = false
        for character in out {
            if character == "\"" {
                result.append(character)
                if !inQuote { result += PGRedaction.marker }
                inQuote.toggle()
            } else if !inQuote {
                result.append(character)
            }
        }
        out = result
    }
    for case let bind? in binds where bind.utf8.count >= 4 && bind.utf8.count <= out.utf8.count && out.contains(bind) {
        out = out.replacing(bind, with: PGRedaction.marker)
    }
    return out
}
