/// One HTTP header; names compare case-insensitively through `HTTPResponse.header(_:)`.
public struct HTTPHeader: Sendable, Equatable {
    public var name: String
    public var value: String
    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
}

/// An HTTP request as the core builds it (Anthropic, OpenAI-compatible, Discord); an adapter
/// (libcurl) sends it.
public struct HTTPRequest: Sendable, Equatable {
    public var method: String
    /// Absolute URL, e.g. `https://api.anthropic.com/v1/messages`.
    public var url: String
    public var headers: [HTTPHeader]
    public var body: [UInt8]
    /// The whole exchange, connect included, must finish within this many seconds.
    public var timeout: Double

    public init(method: String = "POST", url: String, headers: [HTTPHeader] = [], body: [UInt8] = [], timeout: Double = 30) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.timeout = timeout
    }
}

/// An HTTP response: any status, including 4xx/5xx (those are not transport errors).
public struct HTTPResponse: Sendable, Equatable {
    public var status: Int
    public var headers: [HTTPHeader]
    public var body: [UInt8]

    public init(status: Int, headers: [HTTPHeader] = [], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// The first header with this name, compared case-insensitively.
    public func header(_ name: String) -> String? {
        let wanted = name.lowercased()
        return headers.first { $0.name.lowercased() == wanted }?.value
    }

    /// The body as UTF-8 text (invalid bytes replaced).
    public var text: String { String(decoding: body, as: UTF8.self) }
}

/// Why a request got no HTTP response at all.
public enum HTTPTransportError: Error, Sendable, Equatable, CustomStringConvertible {
    /// DNS, refused connection, TLS failure, reset: nothing came back.
    case unreachable(String)
    /// No complete response within the request's timeout.
    case timedOut(seconds: Double)
    /// The URL cannot be used (not http/https, malformed).
    case invalidURL(String)

    public var description: String {
        switch self {
        case .unreachable(let why): "unreachable: \(why)"
        case .timedOut(let seconds): "no response within \(seconds) s"
        case .invalidURL(let url): "invalid URL: \(url)"
        }
    }
}

/// Port: sends one HTTP request and waits for its response (blocking; jarvis runs are short
/// batch processes). The live adapter is libcurl; tests use a real local HTTP server.
public protocol HTTPTransport: Sendable {
    /// Sends `request`.
    /// - Returns: the response, whatever its status.
    /// - Throws: `HTTPTransportError` when no response arrived.
    func send(_ request: HTTPRequest) throws -> HTTPResponse
}

/// Port: waits. Retries with backoff sleep through this so that tests can record the waits
/// instead of spending them.
public protocol Sleeper: Sendable {
    func sleep(seconds: Double)
}
