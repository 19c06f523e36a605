/// Why a provider's HTTP response is not a usable reply.
public enum LLMError: Error, Sendable, Equatable, CustomStringConvertible {
    /// 429: too many requests or tokens; `retryAfter` is the `retry-after` header in seconds.
    case rateLimited(retryAfter: Double?)
    /// Anthropic's 529 `overloaded_error`: the service is busy for everyone.
    case overloaded
    /// A 5xx other than 529 (Anthropic `api_error`, a local server's crash).
    case server(status: Int)
    /// 400, 404, 413 and other 4xx: the request itself is wrong; retrying cannot help.
    case badRequest(String)
    /// 401 or 403: the API key is missing, wrong or not allowed.
    case authentication(String)
    /// A 2xx whose body is not the documented shape: truncated or invalid JSON, a missing or
    /// wrongly typed field, tool input that is not an object.
    case malformed(String)

    /// True for the errors a later attempt may not see: 429, 529, 5xx.
    public var isRetryable: Bool {
        switch self {
        case .rateLimited, .overloaded, .server: true
        case .badRequest, .authentication, .malformed: false
        }
    }

    public var description: String {
        switch self {
        case .rateLimited(let after): after.map { "rate limited (retry after \($0) s)" } ?? "rate limited"
        case .overloaded: "provider overloaded"
        case .server(let status): "provider error (HTTP \(status))"
        case .badRequest(let message): "request rejected: \(message)"
        case .authentication(let message): "authentication failed: \(message)"
        case .malformed(let why): "malformed response: \(why)"
        }
    }
}
