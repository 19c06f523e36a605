import Foundation

/// An LLM API dialect: turns an `LLMConversation` into an `HTTPRequest`, and a response into an
/// `LLMReply` or `LLMError`. Pure: the request is sent by an `HTTPTransport`.
public protocol LLMProvider: Sendable {
    /// The model asked for; it also prices each call.
    var model: String { get }

    /// The request that asks the model for its next reply.
    ///
    /// - Parameters:
    ///   - conversation: Everything said so far, and the tools on offer.
    ///   - timeout: Seconds the whole exchange may take (the caller's remaining time).
    func request(for conversation: LLMConversation, timeout: Double) -> HTTPRequest

    /// The reply in `response`, or why there is none.
    ///
    /// - Parameter response: Whatever came back, any status.
    func parse(_ response: HTTPResponse) -> Result<LLMReply, LLMError>
}

extension LLMProvider {
    /// `baseURL` without trailing slashes, then `path`.
    static func join(_ baseURL: String, _ path: String) -> String {
        var base = Substring(baseURL)
        while base.hasSuffix("/") { base = base.dropLast() }
        return base + path
    }

    /// Seconds from a `retry-after` header (delta-seconds; an HTTP date is ignored).
    static func retryAfter(_ response: HTTPResponse) -> Double? {
        guard let text = response.header("retry-after")?.trimmingCharacters(in: .whitespaces), let seconds = Double(text),
            seconds.isFinite, seconds >= 0
        else { return nil }
        return seconds
    }

    /// A POST of `body` as JSON to `path` under `baseURL`, with `headers` besides the content
    /// type and accept.
    static func post(_ body: [String: JSONValue], to baseURL: String, _ path: String, headers: [HTTPHeader], timeout: Double) -> HTTPRequest {
        HTTPRequest(
            method: "POST", url: join(baseURL, path),
            headers: [HTTPHeader("content-type", "application/json"), HTTPHeader("accept", "application/json")] + headers,
            body: Array(JSONValue.object(body).jsonText.utf8), timeout: timeout)
    }

    /// The typed error of a non-2xx response; both dialects explain it in
    /// `{"error":{"message",…}}`.
    static func error(_ response: HTTPResponse) -> LLMError {
        let message = JSONPath.errorMessage(response.body) ?? "HTTP \(response.status)"
        switch response.status {
        case 429: return .rateLimited(retryAfter: retryAfter(response))
        case 529: return .overloaded
        case 401, 403: return .authentication(message)
        case 500...: return .server(status: response.status)
        default: return .badRequest(message)
        }
    }
}
