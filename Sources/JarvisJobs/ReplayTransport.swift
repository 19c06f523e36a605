import Foundation
import JarvisCore

/// An `HTTPTransport` that answers from recorded provider responses instead of the network:
/// `llm.replay_file` for the offline demo and for tests. The file maps an alertname (or `*`
/// for any other) to the response bodies, in order, the provider would have sent; each
/// request gets the next one (the last one repeats). Requests never leave the process.
///
/// ```json
/// {"ContainerUnhealthy": [{"type": "message", "content": [{"type": "tool_use", …}], …}, …]}
/// ```
public final class ReplayTransport: HTTPTransport, @unchecked Sendable {
    private let bodies: [[UInt8]]
    private let lock = NSLock()
    private var next = 0

    /// The recorded answers for `alertname` in the file at `path`.
    /// - Throws: `ReplayFileError` when the file cannot be read or has no answer for it.
    public init(path: String, alertname: String) throws {
        guard let data = FileManager.default.contents(atPath: path) else { throw ReplayFileError("cannot read \(path)") }
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw ReplayFileError("\(path) is not a JSON object of alertname → [responses]")
        }
        guard let answers = (object[alertname] ?? object["*"]) as? [Any], !answers.isEmpty else {
            throw ReplayFileError("\(path) has no recorded answer for \(alertname) (and no \"*\")")
        }
        bodies = try answers.map { Array(try JSONSerialization.data(withJSONObject: $0)) }
    }

    public func send(_ request: HTTPRequest) throws -> HTTPResponse {
        lock.lock()
        defer { lock.unlock() }
        let body = bodies[min(next, bodies.count - 1)]
        next += 1
        return HTTPResponse(status: 200, headers: [HTTPHeader("content-type", "application/json")], body: body)
    }
}

/// The replay file is unusable.
public struct ReplayFileError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
