import Foundation

/// A minimal HTTP/1.1 server on 127.0.0.1 for tests (a `LoopbackHTTPServer`): records each
/// request and answers with a canned status. It stands in for the webhook endpoints that
/// Alertmanager (a real one, in tests) posts to.
public final class TestHTTPListener: Sendable {
    /// One received request.
    public struct Request: Sendable {
        public var method: String
        public var path: String
        public var headers: [String: String]
        public var body: Data
    }

    /// The port it listens on.
    public let port: UInt16
    private let server: LoopbackHTTPServer

    /// Binds an ephemeral port on 127.0.0.1 and starts answering `status` to every request.
    ///
    /// - Throws: `TestServerError` when the socket cannot be bound.
    public init(status: Int = 200) throws {
        server = try LoopbackHTTPServer { _ in .response(status: status, headers: [], body: []) }
        port = UInt16(server.port)
    }

    /// Requests received so far, in order.
    public var requests: [Request] { server.requests.map(Request.init) }

    /// Waits until at least `count` requests arrived or `timeout` seconds passed.
    public func waitForRequests(_ count: Int, timeout: Double) -> [Request] {
        server.waitForRequests(count, timeout: timeout).map(Request.init)
    }

    /// Stops accepting connections. Idempotent; also done when the listener is released.
    public func stop() { server.stop() }
}

extension TestHTTPListener.Request {
    init(_ request: LoopbackHTTPServer.Request) {
        self.init(method: request.method, path: request.path, headers: request.headers, body: Data(request.body))
    }
}

/// A test server could not be started.
public struct TestServerError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
