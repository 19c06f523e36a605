import JarvisCore
import Testing

@Suite struct DiscordDeliveryTests {
    typealias Step = DiscordDelivery.Step

    func response(_ status: Int, _ body: String = "", headers: [HTTPHeader] = []) -> DiscordDelivery.Attempt {
        .response(HTTPResponse(status: status, headers: headers, body: Array(body.utf8)))
    }

    @Test func twoHundredsAreDelivered() {
        var delivery = DiscordDelivery()
        delivery.startMessage()
        #expect(delivery.step(after: response(204), totalAttempts: 1, age: 0) == .delivered)
        #expect(delivery.step(after: response(200), totalAttempts: 1, age: 0) == .delivered)
    }

    @Test func rateLimitWaitsRetryAfterFromTheBody() {
        var delivery = DiscordDelivery()
        delivery.startMessage()
        let body = #"{"message":"You are being rate limited.","retry_after":0.25,"global":false}"#
        let step = delivery.step(after: response(429, body, headers: [HTTPHeader("Retry-After", "1")]), totalAttempts: 1, age: 0)
        #expect(step == .retry(afterSeconds: 0.25, reason: "rate limited (429), retry after 0.25 s"))
        #expect(delivery.waited == 0.25)
    }

    @Test func rateLimitFallsBackToTheHeaders() {
        #expect(DiscordDelivery.retryAfter(HTTPResponse(status: 429, headers: [HTTPHeader("retry-after", " 3 ")])) == 3)
        #expect(DiscordDelivery.retryAfter(HTTPResponse(status: 429, headers: [HTTPHeader("X-RateLimit-Reset-After", "1.5")])) == 1.5)
        #expect(DiscordDelivery.retryAfter(HTTPResponse(status: 429, body: Array("not json".utf8))) == nil)
        #expect(DiscordDelivery.retryAfter(HTTPResponse(status: 429, body: Array(#"{"retry_after":-1}"#.utf8))) == nil)
        #expect(DiscordDelivery.retryAfter(HTTPResponse(status: 429, body: Array(#"{"a":{"retry_after":9},"retry_after":2}"#.utf8))) == 2)
    }

    @Test func aLongRateLimitEndsTheRunAndDefersTheMessage() {
        var delivery = DiscordDelivery()
        delivery.startMessage()
        let step = delivery.step(after: response(429, #"{"retry_after":600,"global":true}"#), totalAttempts: 1, age: 0)
        #expect(step == .postpone(notBeforeSeconds: 600, reason: "rate limited (429), retry after 600 s"))
    }

    @Test func serverErrorsBackOffThenPostpone() {
        var delivery = DiscordDelivery()
        delivery.startMessage()
        #expect(delivery.step(after: response(502), totalAttempts: 1, age: 0) == .retry(afterSeconds: 1, reason: "HTTP 502"))
        #expect(
            delivery.step(after: .failure(.timedOut(seconds: 10)), totalAttempts: 2, age: 3)
                == .retry(afterSeconds: 2, reason: "no response within 10.0 s"))
        #expect(
            delivery.step(after: .failure(.unreachable("refused")), totalAttempts: 3, age: 5)
                == .postpone(notBeforeSeconds: 30, reason: "unreachable: refused"))
        #expect(delivery.waited == 3)
    }

    @Test func deferralDoublesPerFailedRunUpToTheCap() {
        let policy = DiscordRetryPolicy()
        #expect(policy.deferral(afterAttempts: 3) == 30)
        #expect(policy.deferral(afterAttempts: 6) == 60)
        #expect(policy.deferral(afterAttempts: 9) == 120)
        #expect(policy.deferral(afterAttempts: 300) == 1800)
    }

    @Test func theRunsWaitingIsBounded() {
        var policy = DiscordRetryPolicy()
        policy.maximumWaitPerRun = 2.5
        var delivery = DiscordDelivery(policy: policy)
        delivery.startMessage()
        #expect(delivery.step(after: response(500), totalAttempts: 1, age: 0) == .retry(afterSeconds: 1, reason: "HTTP 500"))
        // 1 + 2 > 2.5: give up now rather than overrun.
        #expect(delivery.step(after: response(500), totalAttempts: 2, age: 0) == .postpone(notBeforeSeconds: 30, reason: "HTTP 500"))
        // The budget is per run: the next message gets no more waiting either.
        delivery.startMessage()
        #expect(
            delivery.step(after: response(429, #"{"retry_after":2}"#), totalAttempts: 1, age: 0)
                == .postpone(notBeforeSeconds: 30, reason: "rate limited (429), retry after 2 s"))
    }

    @Test func otherClientErrorsAreDeadAtOnceWithDiscordsAnswer() {
        var delivery = DiscordDelivery()
        delivery.startMessage()
        let step = delivery.step(after: response(400, #"{"embeds": ["0"], "message": "Invalid Form Body"}"#), totalAttempts: 1, age: 0)
        #expect(step == .dead(reason: #"Discord refused it: HTTP 400: {"embeds": ["0"], "message": "Invalid Form Body"}"#))
        #expect(delivery.step(after: response(404), totalAttempts: 1, age: 0) == .dead(reason: "Discord refused it: HTTP 404"))
    }

    @Test func aMessageTooOldIsGivenUpInsteadOfDeferredForever() {
        var delivery = DiscordDelivery()
        delivery.startMessage()
        _ = delivery.step(after: response(503), totalAttempts: 40, age: 200_000)
        _ = delivery.step(after: response(503), totalAttempts: 41, age: 200_001)
        let step = delivery.step(after: response(503), totalAttempts: 42, age: 200_003)
        #expect(step == .dead(reason: "undelivered after 2d7h33m23s; last error: HTTP 503"))
    }
}
