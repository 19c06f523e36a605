internal import CCurl
internal import CCurlLazy
import JarvisCore

/// `HTTPTransport` over libcurl's easy interface: one blocking exchange per `send`, on a new
/// easy handle (jarvis sends a handful of requests per run; a fresh handle keeps nothing
/// between them and needs no locking).
///
/// The settings are deliberately narrow:
/// - Only `http` and `https` (`CURLOPT_PROTOCOLS_STR`); redirects are never followed
///   (`CURLOPT_FOLLOWLOCATION` 0): a 3xx comes back as a response.
/// - TLS peer and host verification stay on (`CURLOPT_SSL_VERIFYPEER` 1,
///   `CURLOPT_SSL_VERIFYHOST` 2) with the system CA store.
/// - No proxy unless one is configured: `CURLOPT_PROXY` is set to the configured proxy, or to
///   `""`, which makes curl ignore `http_proxy`, `https_proxy` and `all_proxy` from the
///   environment. A webhook URL is a secret; it must not be routed through a proxy nobody chose
///   for jarvis.
/// - `request.timeout` bounds the whole exchange, connect included (`CURLOPT_TIMEOUT_MS`), and
///   `CURLOPT_NOSIGNAL` 1 keeps curl from using SIGALRM, which is unsafe in a threaded process.
/// - No `Expect: 100-continue` round trip, no compressed encodings, user agent `jarvis`.
/// - The response body is capped (`maximumResponseBytes`); a longer one is an error.
///
/// Errors never contain the request's path or query (where a webhook token lives): only the
/// scheme and host are named.
public struct CurlTransport: HTTPTransport {
    /// A proxy URL (`http://proxy:3128`), or nil for a direct connection whatever the environment says.
    public var proxy: Secret<String>?
    /// Bytes of response body kept before the exchange is aborted [4 MiB].
    public var maximumResponseBytes: Int

    /// Creates a transport.
    /// - Parameters:
    ///   - proxy: The proxy to use, or nil (the default) for none.
    ///   - maximumResponseBytes: The response body cap.
    public init(proxy: Secret<String>? = nil, maximumResponseBytes: Int = 4 << 20) {
        self.proxy = proxy
        self.maximumResponseBytes = maximumResponseBytes
    }

    /// Sends `request` and waits for the whole response. Wraps `curl_easy_perform`.
    /// - Parameter request: Method, absolute `http`/`https` URL, headers, body and timeout.
    /// - Returns: The response, whatever its status (redirects are returned, not followed).
    /// - Throws: `HTTPTransportError.invalidURL` for a URL that is not http(s),
    ///   `.timedOut` when `request.timeout` passed (`CURLE_OPERATION_TIMEDOUT`), and
    ///   `.unreachable` for every other failure (DNS, refused, TLS, reset, body over the cap).
    public func send(_ request: HTTPRequest) throws -> HTTPResponse {
        let origin = Self.origin(of: request.url)
        let lower = request.url.lowercased()
        guard lower.hasPrefix("http://") || lower.hasPrefix("https://") else { throw HTTPTransportError.invalidURL(origin) }
        if let failure = CurlLibrary.loadFailure { throw HTTPTransportError.unreachable("cannot load libcurl: \(failure)") }
        guard CurlLibrary.initialized else { throw HTTPTransportError.unreachable("libcurl could not be initialised") }
        let easy = try CurlEasy(origin: origin)
        return try easy.perform(request, proxy: proxy?.value ?? "", maximumResponseBytes: maximumResponseBytes)
    }

    /// `scheme://host[:port]` of `url`, without user info, path, query or fragment: safe to log.
    /// - Parameter url: Any URL text.
    static func origin(of url: String) -> String {
        let characters = Array(url)
        guard let colon = characters.firstIndex(of: ":"), characters[colon...].starts(with: Array("://")) else { return "<not a URL>" }
        let scheme = String(characters[..<colon])
        var authority = characters[(colon + 3)...].prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        if let at = authority.lastIndex(of: "@") { authority = authority[authority.index(after: at)...] }
        return "\(scheme)://\(String(authority))"
    }
}

/// Process-wide libcurl set-up.
enum CurlLibrary {
    /// Why libcurl could not be loaded (it is loaded on first use, see CCurlLazy), if so.
    static let loadFailure: String? = {
        var error: UnsafePointer<CChar>?
        return jarvis_libcurl_load(&error) == 0 ? nil : error.map { String(cString: $0) } ?? "unknown error"
    }()

    /// Wraps `curl_global_init(CURL_GLOBAL_DEFAULT)`, run once on first use (a `static let`
    /// initialiser runs exactly once, thread-safely). Never cleaned up: jarvis runs are short.
    static let initialized: Bool = curl_global_init(Int(CURL_GLOBAL_DEFAULT)) == CURLE_OK
}

/// Owns one curl easy handle (`curl_easy_init` / `curl_easy_cleanup`) for one exchange.
final class CurlEasy {
    private let handle: UnsafeMutableRawPointer
    private let origin: String
    private var headerList: UnsafeMutablePointer<curl_slist>?

    /// Wraps `curl_easy_init`.
    /// - Parameter origin: `scheme://host` for error messages.
    /// - Throws: `HTTPTransportError.unreachable` when curl cannot allocate a handle.
    init(origin: String) throws {
        guard let handle = curl_easy_init() else { throw HTTPTransportError.unreachable("curl_easy_init failed") }
        self.handle = handle
        self.origin = origin
    }

    deinit {
        curl_slist_free_all(headerList)
        curl_easy_cleanup(handle)
    }

    /// Configures the handle for `request` and runs it (`curl_easy_perform`).
    func perform(_ request: HTTPRequest, proxy: String, maximumResponseBytes: Int) throws -> HTTPResponse {
        let sink = ResponseSink(cap: maximumResponseBytes)
        var errorBuffer = [CChar](repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
        let code: CURLcode = try errorBuffer.withUnsafeMutableBufferPointer { errors in
            try withExtendedLifetime(sink) {
                let context = Unmanaged.passUnretained(sink).toOpaque()
                try set(CURLOPT_ERRORBUFFER, pointer: errors.baseAddress)
                try configure(request, proxy: proxy)
                try set(CURLOPT_WRITEFUNCTION, callback: curlCollectBody)
                try set(CURLOPT_WRITEDATA, pointer: context)
                try set(CURLOPT_HEADERFUNCTION, callback: curlCollectHeader)
                try set(CURLOPT_HEADERDATA, pointer: context)
                let code = curl_easy_perform(handle)
                // The buffers die with these closures; curl must not keep pointers to them.
                _ = jarvis_curl_setopt_ptr(handle, CURLOPT_ERRORBUFFER, nil)
                _ = jarvis_curl_setopt_ptr(handle, CURLOPT_WRITEDATA, nil)
                _ = jarvis_curl_setopt_ptr(handle, CURLOPT_HEADERDATA, nil)
                return code
            }
        }
        guard code == CURLE_OK else {
            if code == CURLE_OPERATION_TIMEDOUT { throw HTTPTransportError.timedOut(seconds: request.timeout) }
            if code == CURLE_URL_MALFORMAT || code == CURLE_UNSUPPORTED_PROTOCOL { throw HTTPTransportError.invalidURL(origin) }
            if code == CURLE_WRITE_ERROR && sink.overflowed {
                throw HTTPTransportError.unreachable("\(origin): response body larger than \(maximumResponseBytes) bytes")
            }
            let detail = String(decoding: errorBuffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            let reason = detail.isEmpty ? String(cString: curl_easy_strerror(code)) : detail
            throw HTTPTransportError.unreachable("\(origin): \(reason) (curl error \(code.rawValue))")
        }
        var status = 0
        _ = jarvis_curl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status)
        return HTTPResponse(status: status, headers: sink.headers, body: sink.body)
    }

    private static let emptyBody: StaticString = ""

    private func configure(_ request: HTTPRequest, proxy: String) throws {
        try set(CURLOPT_URL, string: request.url)
        try set(CURLOPT_PROTOCOLS_STR, string: "http,https")
        try set(CURLOPT_NOSIGNAL, 1)
        try set(CURLOPT_FOLLOWLOCATION, 0)
        try set(CURLOPT_SSL_VERIFYPEER, 1)
        try set(CURLOPT_SSL_VERIFYHOST, 2)
        try set(CURLOPT_PROXY, string: proxy)
        try set(CURLOPT_USERAGENT, string: "jarvis")
        try set(CURLOPT_TIMEOUT_MS, Int(max(1, (request.timeout * 1000).rounded(.up))))

        let method = request.method.uppercased()
        switch method {
        case "GET" where request.body.isEmpty:
            try set(CURLOPT_HTTPGET, 1)
        case "HEAD":
            try set(CURLOPT_NOBODY, 1)
        default:
            // POSTFIELDSIZE must come before COPYPOSTFIELDS, which copies that many bytes.
            try set(CURLOPT_POSTFIELDSIZE, request.body.count)
            try request.body.withUnsafeBytes { bytes in
                // An empty body still needs a valid pointer: with NULL, curl would read the body
                // from its default read callback (stdin).
                try set(CURLOPT_COPYPOSTFIELDS, pointer: bytes.baseAddress ?? UnsafeRawPointer(Self.emptyBody.utf8Start))
            }
            if method != "POST" { try set(CURLOPT_CUSTOMREQUEST, string: method) }
        }

        // "Expect:" with no value stops curl's 100-continue wait for bodies over 1 KiB.
        for line in request.headers.map({ "\(Self.clean($0.name)): \(Self.clean($0.value))" }) + ["Expect:"] {
            guard let appended = curl_slist_append(headerList, line) else { throw HTTPTransportError.unreachable("curl_slist_append failed") }
            headerList = appended
        }
        try set(CURLOPT_HTTPHEADER, pointer: headerList)
    }

    /// A header name or value with CR and LF replaced by spaces, so it cannot start a new header.
    private static func clean(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 == 0x0D || $0 == 0x0A }) else { return text }
        return String(text.map { $0 == "\r" || $0 == "\n" || $0 == "\r\n" ? " " : $0 })
    }

    // MARK: Setting options (every return code checked in one place)

    private func check(_ code: CURLcode, _ option: CURLoption) throws {
        guard code == CURLE_OK else {
            throw HTTPTransportError.unreachable("curl_easy_setopt(\(option.rawValue)): \(String(cString: curl_easy_strerror(code)))")
        }
    }

    /// Wraps `curl_easy_setopt` for an option that takes a long.
    private func set(_ option: CURLoption, _ value: Int) throws { try check(jarvis_curl_setopt_long(handle, option, value), option) }

    /// Wraps `curl_easy_setopt` for an option that takes a string (curl copies it).
    private func set(_ option: CURLoption, string value: String) throws {
        try check(value.withCString { jarvis_curl_setopt_str(handle, option, $0) }, option)
    }

    /// Wraps `curl_easy_setopt` for an option that takes a pointer curl keeps (or copies, for
    /// `CURLOPT_COPYPOSTFIELDS`).
    private func set(_ option: CURLoption, pointer value: UnsafeRawPointer?) throws {
        try check(jarvis_curl_setopt_ptr(handle, option, value), option)
    }

    /// Wraps `curl_easy_setopt` for a write or header callback.
    private func set(_ option: CURLoption, callback: jarvis_curl_write_callback) throws {
        try check(jarvis_curl_setopt_func(handle, option, callback), option)
    }
}

@available(*, unavailable)
extension CurlEasy: Sendable {}

/// Collects the response while curl runs; reached from the C callbacks through `Unmanaged`.
final class ResponseSink {
    let cap: Int
    var body: [UInt8] = []
    var headers: [HTTPHeader] = []
    var overflowed = false

    init(cap: Int) { self.cap = cap }

    /// One raw header line as curl delivers it (status line included, CRLF at the end).
    func header(_ line: String) {
        // "\r\n" is one Character in Swift, so trim by Character, not by count.
        var trimmed = Substring(line)
        while let last = trimmed.last, last == "\r\n" || last == "\n" || last == "\r" { trimmed.removeLast() }
        if trimmed.hasPrefix("HTTP/") {
            // A new response starts (after a 100 Continue): only the final one's headers count.
            headers = []
            return
        }
        guard let colon = trimmed.firstIndex(of: ":") else { return }
        let name = String(trimmed[..<colon])
        let value = trimmed[trimmed.index(after: colon)...].drop { $0 == " " || $0 == "\t" }
        headers.append(HTTPHeader(name, String(value)))
    }
}

/// `CURLOPT_WRITEFUNCTION`: appends body bytes; returning less than given aborts the exchange
/// (`CURLE_WRITE_ERROR`) once the cap is passed.
private let curlCollectBody: jarvis_curl_write_callback = { data, size, count, context in
    guard let data, let context else { return 0 }
    let sink = Unmanaged<ResponseSink>.fromOpaque(context).takeUnretainedValue()
    let length = size * count
    guard sink.body.count + length <= sink.cap else {
        sink.overflowed = true
        return 0
    }
    data.withMemoryRebound(to: UInt8.self, capacity: length) { sink.body.append(contentsOf: UnsafeBufferPointer(start: $0, count: length)) }
    return length
}

/// `CURLOPT_HEADERFUNCTION`: curl calls it once per complete header line.
private let curlCollectHeader: jarvis_curl_write_callback = { data, size, count, context in
    guard let data, let context else { return 0 }
    let sink = Unmanaged<ResponseSink>.fromOpaque(context).takeUnretainedValue()
    let length = size * count
    let line = data.withMemoryRebound(to: UInt8.self, capacity: length) {
        String(decoding: UnsafeBufferPointer(start: $0, count: length), as: UTF8.self)
    }
    sink.header(line)
    return length
}
