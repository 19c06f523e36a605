import Foundation

/// What the LLM stand-ins (`StandInAnthropicServer`, `StandInOpenAIServer`) share: a
/// `LoopbackHTTPServer` answering from a `StandInScript` in the subclass's dialect. When the
/// script is empty it answers `fallback`, or a 500 saying the script ran out; every reply
/// reports `usage` tokens.
public class StandInLLMServer: @unchecked Sendable {
    private let server: LoopbackHTTPServer
    private let script: StandInScript
    private let basePath: String

    init(basePath: String, answer: @escaping @Sendable (LoopbackHTTPServer.Request, StandInScript) -> LoopbackHTTPServer.Answer) throws {
        let script = StandInScript()
        self.script = script
        self.basePath = basePath
        server = try LoopbackHTTPServer { request in answer(request, script) }
    }

    /// `http://127.0.0.1:PORT` and the API's base path: the `baseURL` of its provider.
    public var baseURL: String { server.baseURL + basePath }
    /// Requests received so far, in order.
    public var requests: [LoopbackHTTPServer.Request] { server.requests }
    /// Appends replies to the script.
    public func enqueue(_ steps: StandInLLMStep...) { script.enqueue(steps) }
    /// The reply once the script is empty; nil answers a 500.
    public var fallback: StandInLLMStep? {
        get { script.fallback }
        set { script.fallback = newValue }
    }
    /// The usage every reply reports.
    public var usage: (input: Int, output: Int) {
        get { script.usage }
        set { script.usage = newValue }
    }
    /// Stops the server. Idempotent; also done when it is released.
    public func stop() { server.stop() }
}
