import Foundation
import JarvisCore
import JarvisHTTP
import JarvisTestSupport
import Testing

@Suite(.timeLimit(.minutes(1))) struct CurlTransportTests {
    @Test func statusHeadersAndBodyMakeTheRoundTrip() throws {
        let server = try TestDiscordServer(answers: [
            TestDiscordServer.Answer(status: 201, headers: [("X-Test", "yes"), ("Content-Type", "application/json")], body: #"{"ok":true}"#)
        ])
        let body = Array(#"{"content":"hé ✓"}"#.utf8) + Array(repeating: UInt8(ascii: " "), count: 3000)  // over 1 KiB: no Expect: 100-continue stall
        let response = try CurlTransport().send(
            HTTPRequest(method: "POST", url: server.webhookURL, headers: [HTTPHeader("Content-Type", "application/json")], body: body, timeout: 5))
        #expect(response.status == 201)
        #expect(response.header("x-test") == "yes")
        #expect(response.text == #"{"ok":true}"#)
        let request = try #require(server.requests.first)
        #expect(request.method == "POST")
        #expect(request.path == "/api/webhooks/1/test-token")
        #expect(request.headers["content-type"] == "application/json")
        #expect(request.headers["user-agent"] == "jarvis")
        #expect(request.headers["expect"] == nil)
        #expect(Array(request.body) == body)
    }

    @Test func otherMethodsAndEmptyBodiesWork() throws {
        let server = try TestDiscordServer()
        #expect(try CurlTransport().send(HTTPRequest(method: "GET", url: server.webhookURL, timeout: 5)).status == 204)
        #expect(try CurlTransport().send(HTTPRequest(method: "POST", url: server.webhookURL, timeout: 5)).status == 204)
        #expect(try CurlTransport().send(HTTPRequest(method: "DELETE", url: server.webhookURL, timeout: 5)).status == 204)
        #expect(server.requests.map(\.method) == ["GET", "POST", "DELETE"])
        #expect(server.requests[1].body.isEmpty)
    }

    @Test func errorStatusesAreResponsesNotErrors() throws {
        let server = try TestDiscordServer(answers: [.rateLimited(retryAfter: 0.25), .serverError(503)])
        let transport = CurlTransport()
        let limited = try transport.send(HTTPRequest(url: server.webhookURL, body: Array("{}".utf8), timeout: 5))
        #expect(limited.status == 429)
        #expect(limited.header("Retry-After") == "1")
        #expect(DiscordDelivery.retryAfter(limited) == 0.25)
        #expect(try transport.send(HTTPRequest(url: server.webhookURL, timeout: 5)).status == 503)
    }

    @Test func redirectsAreReturnedNotFollowed() throws {
        let server = try TestDiscordServer(answers: [TestDiscordServer.Answer(status: 302, headers: [("Location", "http://127.0.0.1:1/elsewhere")])])
        let response = try CurlTransport().send(HTTPRequest(url: server.webhookURL, timeout: 5))
        #expect(response.status == 302)
        #expect(server.requests.count == 1)
    }

    @Test func aSilentServerTimesOut() throws {
        let silent = try SilentListener()
        let started = ContinuousClock.now
        #expect(throws: HTTPTransportError.timedOut(seconds: 0.5)) {
            try CurlTransport().send(HTTPRequest(url: "http://127.0.0.1:\(silent.port)/api/webhooks/1/t", timeout: 0.5))
        }
        #expect(ContinuousClock.now - started < .seconds(5))
    }

    @Test func aClosedPortIsUnreachableAndTheErrorHidesThePath() throws {
        let port = try LoopbackPorts.closedPort()
        do {
            _ = try CurlTransport().send(HTTPRequest(url: "http://127.0.0.1:\(port)/api/webhooks/1/secret-token", timeout: 5))
            Issue.record("expected an error")
        } catch let error as HTTPTransportError {
            guard case .unreachable(let why) = error else {
                Issue.record("expected .unreachable, got \(error)")
                return
            }
            #expect(why.hasPrefix("http://127.0.0.1:\(port): "))
            #expect(!why.contains("secret-token"))
        }
    }

    @Test func onlyHTTPAndHTTPSAreAccepted() {
        #expect(throws: HTTPTransportError.invalidURL("file://")) {
            try CurlTransport().send(HTTPRequest(url: "file:///etc/passwd", timeout: 1))
        }
        #expect(throws: HTTPTransportError.invalidURL("<not a URL>")) {
            try CurlTransport().send(HTTPRequest(url: "discord webhook", timeout: 1))
        }
    }

    @Test func proxyVariablesFromTheEnvironmentAreIgnored() throws {
        // A proxy that does not exist: if curl used it, the request would fail.
        let deadProxy = try LoopbackPorts.closedPort()
        setenv("http_proxy", "http://127.0.0.1:\(deadProxy)", 1)
        defer { unsetenv("http_proxy") }
        let server = try TestDiscordServer()
        #expect(try CurlTransport().send(HTTPRequest(url: server.webhookURL, timeout: 5)).status == 204)
    }

    @Test func anOversizedResponseIsAnError() throws {
        let server = try TestDiscordServer(answers: [TestDiscordServer.Answer(status: 200, body: String(repeating: "x", count: 10_000))])
        let error = try #require(throws: HTTPTransportError.self) {
            try CurlTransport(maximumResponseBytes: 1000).send(HTTPRequest(url: server.webhookURL, timeout: 5))
        }
        #expect(error.description.contains("response body larger than 1000 bytes"), "\(error)")
    }

    @Test func headerValuesCannotInjectHeaders() throws {
        let server = try TestDiscordServer()
        _ = try CurlTransport().send(HTTPRequest(url: server.webhookURL, headers: [HTTPHeader("X-A", "1\r\nX-Injected: yes")], timeout: 5))
        let request = try #require(server.requests.first)
        #expect(request.headers["x-injected"] == nil)
        #expect(request.headers["x-a"] == "1 X-Injected: yes")  // CRLF (one Character) became one space
    }

    @Test func systemSleeperSleeps() {
        let started = ContinuousClock.now
        SystemSleeper().sleep(seconds: 0.05)
        SystemSleeper().sleep(seconds: -1)
        #expect(ContinuousClock.now - started >= .milliseconds(50))
    }
}
