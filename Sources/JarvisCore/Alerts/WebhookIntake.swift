/// What `jarvis accept` answers an HTTP request, decided without I/O: the request line and
/// headers first (path, method, credentials, framing, declared size), then the whole body.
///
/// Status codes follow what Alertmanager does with them: it retries 5xx and drops 4xx, so a
/// 4xx is only ever answered for a request that retrying cannot fix (and a body that is not a
/// webhook is kept in `rejected/` by the caller, never dropped).
public struct WebhookIntake: Sendable {
    /// The one path webhooks are posted to [/webhook/alertmanager].
    public var path: String
    /// The shared secret: `Authorization: Bearer TOKEN`, or Basic auth with TOKEN as password.
    private let tokenDigest: [UInt8]
    /// Bodies larger than this are refused unread [1 MiB].
    public var maxBodySize: Int

    public init(path: String = "/webhook/alertmanager", token: String, maxBodySize: Int = 1 << 20) {
        self.path = path
        var hasher = SHA256()
        hasher.update(Array(token.utf8))
        self.tokenDigest = hasher.finalize()
        self.maxBodySize = maxBodySize
    }

    /// A response to send: the status and a one-line reason (the response body).
    public struct Answer: Sendable, Equatable {
        public var status: Int
        public var message: String
        /// Extra response headers (`Allow`, `WWW-Authenticate`).
        public var headers: [HTTPHeader]

        public init(_ status: Int, _ message: String, headers: [HTTPHeader] = []) {
            self.status = status
            self.message = message
            self.headers = headers
        }
    }

    /// The decision once the headers are in.
    public enum HeaderVerdict: Sendable, Equatable {
        /// Read the body (at most `maxBodySize` bytes), then call `checkBody`.
        case readBody
        /// Answer now and read no further.
        case answer(Answer)
    }

    /// Checks everything but the body. `target` is the request's path (no query);
    /// `headers` are in the order received, repeated names included.
    public func checkHeaders(method: String, target: String, headers: [HTTPHeader]) -> HeaderVerdict {
        guard target == path else { return .answer(Answer(404, "no such path: webhooks are posted to \(path)")) }
        guard method == "POST" else {
            let shown = method.utf8.count <= 16 && method.allSatisfy { $0.isASCII && $0.isLetter } ? method : "(unreadable)"
            return .answer(Answer(405, "method \(shown) not allowed: use POST", headers: [HTTPHeader("Allow", "POST")]))
        }
        guard authorized(headers.filter { $0.name.lowercased() == "authorization" }) else {
            return .answer(
                Answer(
                    401, "missing or wrong credentials: send Authorization: Bearer TOKEN (or Basic auth with the token as password)",
                    headers: [HTTPHeader("WWW-Authenticate", "Bearer realm=\"jarvis\"")]))
        }
        let lengths = headers.filter { $0.name.lowercased() == "content-length" }.map(\.value)
        let encodings = headers.filter { $0.name.lowercased() == "transfer-encoding" }.map(\.value)
        // Two framings, or two lengths, are how requests get smuggled past a proxy: refuse.
        if !lengths.isEmpty && !encodings.isEmpty {
            return .answer(Answer(400, "both Transfer-Encoding and Content-Length: send one"))
        }
        if encodings.count > 1 || encodings.contains(where: { $0.lowercased() != "chunked" }) {
            return .answer(Answer(400, "unsupported Transfer-Encoding: only chunked"))
        }
        if lengths.count > 1 { return .answer(Answer(400, "more than one Content-Length")) }
        if let text = lengths.first {
            guard let length = Int(text), length >= 0, text.allSatisfy({ $0.isASCII && $0.isNumber }) else {
                return .answer(Answer(400, "Content-Length is not a number"))
            }
            if length > maxBodySize { return .answer(tooLarge) }
            if length == 0 { return .answer(Answer(400, "the body is empty")) }
        } else if encodings.isEmpty {
            return .answer(Answer(411, "a Content-Length or chunked body is required"))
        }
        return .readBody
    }

    /// The answer for a body over the limit.
    public var tooLarge: Answer { Answer(413, "the body is over the \(maxBodySize)-byte limit") }

    /// The decision on a complete body: nil to spool it (then answer 200), or the reason it
    /// is not a webhook (answer 400 and keep it in `rejected/`).
    public func checkBody(_ body: [UInt8]) -> String? {
        if body.isEmpty { return "the body is empty" }
        do {
            _ = try AlertmanagerWebhook.decode(body)
            return nil
        } catch {
            return error.reason
        }
    }

    private func authorized(_ values: [HTTPHeader]) -> Bool {
        guard values.count == 1, let presented = Self.credential(values[0].value) else { return false }
        var hasher = SHA256()
        hasher.update(presented)
        // Equal-length digests compared without an early exit: the time taken says nothing
        // about how much of the token was right.
        var difference: UInt8 = 0
        for (a, b) in zip(hasher.finalize(), tokenDigest) { difference |= a ^ b }
        return difference == 0
    }

    /// The secret in an `Authorization` value: a bearer token, or a Basic password.
    static func credential(_ value: String) -> [UInt8]? {
        let parts = value.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2 else { return nil }
        let scheme = parts[0].lowercased()
        let rest = parts[1].trimmingSpaces()
        if scheme == "bearer" { return rest.isEmpty ? nil : Array(rest.utf8) }
        guard scheme == "basic", let decoded = Base64.decode(rest), let colon = decoded.firstIndex(of: UInt8(ascii: ":")) else { return nil }
        let password = Array(decoded[(colon + 1)...])
        return password.isEmpty ? nil : password
    }
}

extension Substring {
    fileprivate func trimmingSpaces() -> String {
        String(self.drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }
}
