import JarvisCore
import JarvisTestSupport
import Testing

@Suite struct VerificationTests {
    let t = TriageFixtures.at
    let rule = VerificationRule()

    @Test func aResolveWithinTheWindowVerifiesEvenBeforeTheWindowIsOver() {
        #expect(rule.evaluate(attemptAt: t(0), evidence: .init(resolvedAt: t(120)), now: t(130)) == .verified)
        #expect(rule.evaluate(attemptAt: t(0), evidence: .init(resolvedAt: t(600)), now: t(5000)) == .verified)
    }

    @Test func noSignalInsideTheWindowIsPending() {
        #expect(rule.evaluate(attemptAt: t(0), evidence: .init(), now: t(599)) == .pending)
        #expect(rule.evaluate(attemptAt: t(0), evidence: .init(), now: t(600)) == .pending)
    }

    @Test func stillFiringAfterTheWindowFails() {
        #expect(rule.evaluate(attemptAt: t(0), evidence: .init(), now: t(601)) == .failed)
        #expect(
            rule.evaluate(attemptAt: t(0), evidence: .init(resolvedNotificationsExpected: false, prometheus: .stillFiring), now: t(601)) == .failed)
    }

    @Test func aResolveTooLateOrBeforeTheAttemptDoesNotCredit() {
        #expect(rule.evaluate(attemptAt: t(0), evidence: .init(resolvedAt: t(601)), now: t(700)) == .failed)
        #expect(rule.evaluate(attemptAt: t(100), evidence: .init(resolvedAt: t(50)), now: t(800)) == .failed)
    }

    @Test func noPossibleSignalIsUnverified() {
        let blind = VerificationEvidence(resolvedNotificationsExpected: false, prometheus: .unreachable)
        #expect(rule.evaluate(attemptAt: t(0), evidence: blind, now: t(300)) == .pending)
        #expect(rule.evaluate(attemptAt: t(0), evidence: blind, now: t(601)) == .unverified)
        #expect(rule.evaluate(attemptAt: t(0), evidence: .init(resolvedNotificationsExpected: false), now: t(601)) == .unverified)
    }

    @Test func aPassingPrometheusCheckVerifiesSooner() {
        #expect(rule.evaluate(attemptAt: t(0), evidence: .init(prometheus: .passed), now: t(30)) == .verified)
    }
}

@Suite struct PrometheusCheckQueryTests {
    @Test func placeholdersAreFilledAndEscapedAndAMissingLabelGivesNoQuery() {
        #expect(
            PrometheusCheckQuery.expression(#"up{instance="{{instance}}"} == 0"#, labels: ["instance": "web1:9100"])
                == #"up{instance="web1:9100"} == 0"#)
        #expect(PrometheusCheckQuery.expression(#"x{a="{{ a }}"}"#, labels: ["a": #"q"uote\"#]) == #"x{a="q\"uote\\"}"#)
        #expect(PrometheusCheckQuery.expression(#"x{a="{{a}}"}"#, labels: [:]) == nil)
        #expect(PrometheusCheckQuery.expression("x{{unclosed", labels: ["unclosed": "1"]) == nil)
    }

    @Test func theRequestIsAnInstantQueryWithTheExpressionEncoded() {
        let request = PrometheusCheckQuery.request(baseURL: "http://127.0.0.1:9090/", expression: #"up{job="a b"} == 0"#, timeout: 5)
        #expect(request.method == "GET")
        #expect(request.url == "http://127.0.0.1:9090/api/v1/query?query=up%7Bjob%3D%22a%20b%22%7D%20%3D%3D%200")
    }

    @Test func onlyAnEmptyVectorMeansFixed() {
        func answer(_ body: String, status: Int = 200) -> VerificationEvidence.PrometheusCheck {
            PrometheusCheckQuery.verdict(HTTPResponse(status: status, body: Array(body.utf8)))
        }
        #expect(answer(#"{"status":"success","data":{"resultType":"vector","result":[]}}"#) == .passed)
        #expect(answer(#"{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1,"1"]}]}}"#) == .stillFiring)
        #expect(answer(#"{"status":"error","errorType":"bad_data","error":"parse error"}"#, status: 400) == .unreachable)
        #expect(answer(#"{"status":"success","data":{"resultType":"scalar","result":[1,"1"]}}"#) == .unreachable)
        #expect(answer("<html>proxy error</html>", status: 502) == .unreachable)
    }
}
