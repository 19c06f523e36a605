import JarvisCore
import Testing

struct WebhookIntakeTests {
    let intake = WebhookIntake(token: "s3cret", maxBodySize: 1000)
    let bearer = HTTPHeader("Authorization", "Bearer s3cret")

    func status(_ headers: [HTTPHeader]) -> Int? { status("POST", "/webhook/alertmanager", headers) }

    func status(_ method: String, _ target: String, _ headers: [HTTPHeader]) -> Int? {
        if case .answer(let answer) = intake.checkHeaders(method: method, target: target, headers: headers) { return answer.status }
        return nil
    }

    @Test func aPostWithTheTokenAndALengthReadsTheBody() {
        #expect(
            intake.checkHeaders(method: "POST", target: "/webhook/alertmanager", headers: [bearer, HTTPHeader("Content-Length", "10")]) == .readBody)
        #expect(status([bearer, HTTPHeader("Transfer-Encoding", "chunked")]) == nil)
    }

    @Test func pathThenMethodThenCredentialsAreCheckedInThatOrder() {
        #expect(status("GET", "/other", []) == 404)
        #expect(status("GET", "/webhook/alertmanager", []) == 405)
        #expect(status("POST", "/webhook/alertmanager", [HTTPHeader("Content-Length", "10")]) == 401)
        #expect(status("POST", "/webhook/alertmanager/", [bearer]) == 404)
    }

    @Test(arguments: [
        ("Bearer s3cret", true), ("bearer s3cret", true), ("Bearer  s3cret ", true), ("Bearer s3cre", false), ("Bearer s3cretx", false),
        ("Bearer ", false), ("s3cret", false), ("Basic \(basic("am:s3cret"))", true), ("Basic \(basic(":s3cret"))", true),
        ("Basic \(basic("s3cret"))", false), ("Basic \(basic("am:wrong"))", false), ("Basic !!!", false), ("Token s3cret", false),
    ])
    func credentials(value: String, accepted: Bool) {
        let verdict = status([HTTPHeader("Authorization", value), HTTPHeader("Content-Length", "5")])
        #expect((verdict == nil) == accepted, "\(value)")
    }

    @Test func base64DecodesKnownVectorsAndRefusesOtherText() {
        // RFC 4648 §10 test vectors.
        for (plain, encoded) in [
            ("", ""), ("f", "Zg=="), ("fo", "Zm8="), ("foo", "Zm9v"), ("foob", "Zm9vYg=="), ("fooba", "Zm9vYmE="), ("foobar", "Zm9vYmFy"),
        ] {
            #expect(Base64.decode(encoded) == Array(plain.utf8), "\(encoded)")
            #expect(Base64.encode(Array(plain.utf8)) == encoded)
        }
        #expect(Base64.decode("Zm9v!") == nil)
        #expect(Base64.decode("Zg==Zg") == nil)
    }

    @Test func twoAuthorizationHeadersAreRefused() {
        #expect(status([bearer, bearer, HTTPHeader("Content-Length", "5")]) == 401)
    }

    @Test func framingThatCouldSmuggleARequestIsRefused() {
        #expect(status([bearer, HTTPHeader("Content-Length", "5"), HTTPHeader("Transfer-Encoding", "chunked")]) == 400)
        #expect(status([bearer, HTTPHeader("Content-Length", "5"), HTTPHeader("content-length", "6")]) == 400)
        #expect(status([bearer, HTTPHeader("Transfer-Encoding", "gzip, chunked")]) == 400)
        #expect(status([bearer, HTTPHeader("Transfer-Encoding", "chunked"), HTTPHeader("Transfer-Encoding", "chunked")]) == 400)
        #expect(status([bearer, HTTPHeader("Content-Length", "+5")]) == 400)
        #expect(status([bearer, HTTPHeader("Content-Length", "-1")]) == 400)
        #expect(status([bearer]) == 411)
    }

    @Test func theDeclaredSizeIsCheckedBeforeAnyBodyByte() {
        #expect(status([bearer, HTTPHeader("Content-Length", "1000")]) == nil)
        #expect(status([bearer, HTTPHeader("Content-Length", "1001")]) == 413)
        #expect(status([bearer, HTTPHeader("Content-Length", "99999999999999999999999")]) == 400)
        #expect(status([bearer, HTTPHeader("Content-Length", "0")]) == 400)
    }

    @Test func aBodyIsAcceptedWhenIngestWouldDecodeIt() {
        #expect(intake.checkBody(Array(#"{"alerts":[]}"#.utf8)) == nil)
        #expect(intake.checkBody(Array(#"{"alerts":[{"labels":{"alertname":1}}]}"#.utf8))?.hasPrefix("alerts[0].labels.alertname") == true)
        #expect(intake.checkBody(Array("{".utf8)) != nil)
        #expect(intake.checkBody([]) == "the body is empty")
    }

    @Test func everyAnswerIsOneLine() {
        for headers in [[], [bearer], [bearer, HTTPHeader("Content-Length", "x")]] {
            if case .answer(let answer) = intake.checkHeaders(method: "POST\nX", target: "/webhook/alertmanager", headers: headers) {
                #expect(!answer.message.contains("\n"))
            }
        }
    }
}

private func basic(_ text: String) -> String { Base64.encode(Array(text.utf8)) }
