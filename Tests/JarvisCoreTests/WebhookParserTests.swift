import Foundation
import JarvisCore
import JarvisTestSupport
import Testing

// Tests of the hand-written webhook parser behind `AlertmanagerWebhook.decode`: JSON syntax
// (RFC 8259), error positions, the mapping's leniency, and a differential test against
// `JSONSerialization` plus a reference mapping written out below.

/// The decode outcome: the webhook, or the reason it was refused.
private func outcome(_ bytes: [UInt8]) -> Result<AlertmanagerWebhook, WebhookDecodingError> {
    Result { () throws(WebhookDecodingError) in try AlertmanagerWebhook.decode(bytes) }
}

private func outcome(_ text: String) -> Result<AlertmanagerWebhook, WebhookDecodingError> { outcome(Array(text.utf8)) }

/// The reason `body` is refused, or nil when it is accepted.
private func reason(_ body: String) -> String? { reason(Array(body.utf8)) }

private func reason(_ bytes: [UInt8]) -> String? {
    if case .failure(let error) = outcome(bytes) { return error.reason }
    return nil
}

/// A minimal valid alert, with `extra` spliced in before the closing brace.
private func alert(_ extra: String = "") -> String {
    #"{"status":"firing","labels":{"alertname":"A"},"startsAt":"2026-01-01T00:00:00Z"\#(extra)}"#
}

/// A body with one minimal alert, with `extra` spliced in at the top level.
private func body(_ extra: String = "", alert alertExtra: String = "") -> String {
    #"{"alerts":[\#(alert(alertExtra))]\#(extra)}"#
}

@Suite struct WebhookParserSyntaxTests {
    @Test func stringEscapesAndSurrogatePairsDecode() throws {
        let webhook = try AlertmanagerWebhook.decode(
            Data(body(#","receiver":"\"\\\/\b\f\n\r\t \u00e9\u00E9 \u670D\u52a1 \ud83d\ude00 \uD83D\uDE00 \u0000 é😀""#).utf8))
        #expect(webhook.receiver == "\"\\/\u{08}\u{0C}\n\r\t éé 服务 😀 😀 \u{0} é😀")
    }

    @Test func escapedKeysAreTheKeysTheySpell() throws {
        let body = #"{"\u0061lerts":[{"st\u0061tus":"resolved","l\u0061bels":{"\u0061":"\u0062"},"startsAt":"2026-01-01T00:00:00Z"}]}"#
        let webhook = try AlertmanagerWebhook.decode(Data(body.utf8))
        #expect(webhook.alerts.first?.status == .resolved)
        #expect(webhook.alerts.first?.labels == ["a": "b"])
    }

    @Test(arguments: [
        #""\ud800""#, #""\udc00""#, #""\ud800\u0041""#, #""\ud800x""#, #""\udbff\ud800""#, #""\ude00\ud83d""#, #""a\ud83d""#,
    ])
    func unpairedSurrogatesAreRefused(_ value: String) throws {
        for text in [body(#","receiver":\#(value)"#), body(#","ignored":\#(value)"#), body(#","ignored":{\#(value):1}"#)] {
            let message = try #require(reason(text), "accepted \(text)")
            #expect(message.hasPrefix("invalid JSON: unpaired surrogate \\u"), "\(message)")
        }
    }

    @Test(arguments: [#""\x""#, #""\U0041""#, #""\u12""#, #""\u12G4""#, #""\'""#])
    func invalidEscapesAreRefused(_ value: String) throws {
        let message = try #require(reason(body(#","ignored":\#(value)"#)))
        #expect(message.hasPrefix("invalid JSON: invalid "), "\(message)")
    }

    @Test(arguments: [
        ("43434343434343434343", "43434343434343434343"),
        ("123456789012345678901234567890123456789012", "123456789012345678901234567890123456789012"),
        ("-98765432109876543210", "-98765432109876543210"),
        ("4", "4"), ("0", "0"), ("-0", "0"), ("4.50", "4.5"), ("1e3", "1000"), ("1E+3", "1000"), ("1.5E-3", "0.0015"),
        ("-0.0", "0"), ("12.5e1", "125"), ("0.1", "0.1"), ("25e-1", "2.5"), ("1e-5", "0.00001"),
    ])
    func numericGroupKeysAndVersionsKeepTheirDigits(_ number: String, _ expected: String) throws {
        let webhook = try AlertmanagerWebhook.decode(Data(body(#","groupKey":\#(number),"version":\#(number)"#).utf8))
        #expect(webhook.groupKey == expected)
        #expect(webhook.version == expected)
    }

    @Test func numbersTooLongToWriteOutAreRefused() {
        #expect(reason(body(#","groupKey":1e999"#)) == "groupKey: expected a string")
        #expect(reason(body(#","version":-1e-999"#)) == "version: expected a string")
    }

    @Test(arguments: [
        ("3", 3), ("-4", -4), ("3.0", 3), ("1e2", 100), ("1.5E1", 15), ("2.5", 0), ("9223372036854775807", Int.max),
        ("9223372036854775808", 0), ("1e19", 0), (#""5""#, 0), ("null", 0), ("true", 0), ("{}", 0), ("[1]", 0),
    ])
    func truncatedAlertsIsLenient(_ value: String, _ expected: Int) throws {
        #expect(try AlertmanagerWebhook.decode(Data(body(#","truncatedAlerts":\#(value)"#).utf8)).truncatedAlerts == expected)
    }

    @Test func exponentNumbersInIgnoredFieldsAreSkipped() throws {
        let extra = #","x":1.5e-300,"y":-0.0E+12,"z":[1E400,-2e-2,0,-0,123456789012345678901234567890e5],"w":{"n":6.02214076e23}"#
        let webhook = try AlertmanagerWebhook.decode(Data(body(extra, alert: extra).utf8))
        #expect(webhook.alerts.count == 1)
    }

    @Test(arguments: ["01", "-", "1.", ".5", "+1", "1e", "1e+", "-01", "0x10", "1.2.3", "NaN", "Infinity", "-Infinity", "1_000"])
    func malformedNumbersAreRefusedEvenWhenIgnored(_ number: String) throws {
        let message = try #require(reason(body(#","ignored":\#(number)"#)), "accepted \(number)")
        #expect(message.hasPrefix("invalid JSON: "), "\(message)")
    }

    @Test func nestingIsLimitedTo64Levels() throws {
        // The top-level object is level 1, so 63 arrays inside it reach 64.
        let fine = #"{"alerts":[],"x":"# + String(repeating: "[", count: 63) + String(repeating: "]", count: 63) + "}"
        #expect(reason(fine) == nil)
        let deep = #"{"alerts":[],"x":"# + String(repeating: "[", count: 64) + String(repeating: "]", count: 64) + "}"
        #expect(reason(deep) == "invalid JSON: nesting deeper than 64 levels at line 1, column 81 (byte 80)")
        let objects = #"{"alerts":[],"x":"# + String(repeating: #"{"a":"#, count: 64) + "1" + String(repeating: "}", count: 65)
        #expect(reason(objects)?.hasPrefix("invalid JSON: nesting deeper than 64 levels") == true)
        // Far deeper input is refused without exhausting the stack.
        let abyss = String(repeating: "[", count: 200_000)
        #expect(reason(abyss)?.hasPrefix("invalid JSON: nesting deeper than 64 levels") == true)
        #expect(reason(String(repeating: #"{"a":"#, count: 100_000))?.hasPrefix("invalid JSON: nesting deeper") == true)
    }

    @Test func trailingGarbageIsRefused() {
        #expect(reason(#"{"alerts":[]} x"#) == "invalid JSON: unexpected 'x' after the top-level value at line 1, column 15 (byte 14)")
        #expect(reason(#"{"alerts":[]}{}"#) == "invalid JSON: unexpected '{' after the top-level value at line 1, column 14 (byte 13)")
        #expect(reason(#"{"alerts":[]},"#)?.hasPrefix("invalid JSON: unexpected ','") == true)
        #expect(
            reason([UInt8](#"{"alerts":[]}"#.utf8) + [0])
                == "invalid JSON: unexpected byte 0x00 after the top-level value at line 1, column 14 (byte 13)")
        #expect(reason(" \n\t\r" + #"{"alerts":[]}"# + " \n\t\r\n") == nil)
    }

    @Test(
        arguments: [
            [0xFF], [0xFE], [0xC0, 0xAF], [0xC1, 0xBF], [0xE0, 0x80, 0xAF], [0xED, 0xA0, 0x80], [0xED, 0xBF, 0xBF],
            [0xF4, 0x90, 0x80, 0x80], [0xF5, 0x80, 0x80, 0x80], [0xF0, 0x80, 0x80, 0xAF], [0xE2, 0x82], [0xC3], [0x80], [0xBF],
            [0xE2, 0x28, 0xA1], [0xF0, 0x9F, 0x98],
        ] as [[UInt8]])
    func invalidUTF8IsRefusedInValuesKeysAndIgnoredFields(_ bad: [UInt8]) throws {
        let quote = Array("\"".utf8)
        let parts: [[UInt8]] = [
            Array(#"{"receiver":"a"#.utf8) + bad + Array(#"b","alerts":[]}"#.utf8),
            Array(#"{"ignored":{"k"#.utf8) + bad + quote + Array(#":1},"alerts":[]}"#.utf8),
            Array(#"{"alerts":[],"ignored":"#.utf8) + quote + bad + quote + Array("}".utf8),
            Array(#"{"alerts":[]}"#.utf8) + bad,
        ]
        for bytes in parts {
            let message = try #require(reason(bytes), "accepted \(bytes)")
            #expect(message.hasPrefix("invalid JSON: "), "\(message)")
        }
    }

    @Test func wellFormedUTF8OfEveryLengthIsKept() throws {
        let text = "$ £ € 𐍈 é 服 😀 \u{10FFFF} \u{FFFD} \u{7F}"
        let webhook = try AlertmanagerWebhook.decode(Data(body(#","receiver":"\#(text)""#).utf8))
        #expect(webhook.receiver == text)
    }

    @Test func aByteOrderMarkMayLead() throws {
        let webhook = try AlertmanagerWebhook.decode([0xEF, 0xBB, 0xBF] + Array(body().utf8))
        #expect(webhook.alerts.count == 1)
        #expect(reason([0xEF, 0xBB] + Array(body().utf8))?.hasPrefix("invalid JSON") == true)
    }

    @Test(arguments: Array(0x00...0x1F) as [UInt8])
    func rawControlCharactersInStringsAreRefused(_ byte: UInt8) throws {
        for prefix in [#"{"alerts":[],"receiver":"a"#, #"{"alerts":[],"ignored":"a"#, #"{"alerts":[],"ignored":{"a"#] {
            let bytes = Array(prefix.utf8) + [byte] + Array(#"b":1}"#.utf8)
            let message = try #require(reason(bytes))
            #expect(message.hasPrefix("invalid JSON: unescaped control character U+00"), "\(message)")
            #expect(!message.contains("\n"))
        }
    }

    @Test func escapedControlCharactersAndDeleteAreFine() throws {
        let bytes = Array(#"{"alerts":[],"receiver":"\u0000\u001f\n\u007f"#.utf8) + [0x7F] + Array(#""}"#.utf8)
        let webhook = try AlertmanagerWebhook.decode(bytes)
        #expect(webhook.receiver == "\u{0}\u{1F}\n\u{7F}\u{7F}")
    }

    @Test func unknownKeysAreSkippedAtAnyDepth() throws {
        let junk = #"{"alerts":{"alerts":[1,{"status":"nonsense"}]},"labels":null,"deep":[[[{"x":[true,false,null,"s",-1.5e3]}]]]}"#
        let text = body(#","unknown":\#(junk),"Alerts":5,"ALERTS":[]"#, alert: #","unknown":\#(junk),"Labels":7,"startsat":"x""#)
        let webhook = try AlertmanagerWebhook.decode(Data(text.utf8))
        #expect(webhook.alerts.count == 1)
        #expect(webhook.alerts[0].labels == ["alertname": "A"])
    }

    @Test(arguments: [
        (#"{"alerts": ["#, "invalid JSON: unexpected end of input at line 1, column 13 (byte 12)"),
        (
            "{\n  \"alerts\": [],\n  \"version\" \"4\"\n}",
            #"invalid JSON: expected ':' after an object key, found '"' at line 3, column 13 (byte 30)"#
        ),
        ("{\"receiver\":\"é服😀\" x}", "invalid JSON: expected ',' or '}' after an object member, found 'x' at line 1, column 19 (byte 24)"),
        (#"{"alerts":[1 2]}"#, "invalid JSON: expected ',' or ']' after an array element, found '2' at line 1, column 14 (byte 13)"),
        (#"{"alerts":[],}"#, "invalid JSON: expected a string key, found '}' at line 1, column 14 (byte 13)"),
        (#"{"alerts":[1,]}"#, "invalid JSON: expected a value, found ']' at line 1, column 14 (byte 13)"),
        ("{'alerts':[]}", #"invalid JSON: expected a string key, found "'" at line 1, column 2 (byte 1)"#),
        (#"{"alerts":[],"x":tru}"#, "invalid JSON: invalid literal, expected 'true' at line 1, column 18 (byte 17)"),
        (#"{"alerts":[],"x":nul"#, "invalid JSON: unexpected end of input at line 1, column 21 (byte 20)"),
        (#"{"alerts":[],"x":01}"#, "invalid JSON: invalid number: leading zero at line 1, column 18 (byte 17)"),
        (#"{"alerts":[],"x":"\q"}"#, #"invalid JSON: invalid escape '\q' in a string at line 1, column 19 (byte 18)"#),
        (#"{"alerts":[],"x":"\ud83d"}"#, #"invalid JSON: unpaired surrogate \uD83D in a string at line 1, column 19 (byte 18)"#),
        ("{\"alerts\":[],\"x\":\"a\nb\"}", "invalid JSON: unescaped control character U+000A in a string at line 1, column 20 (byte 19)"),
        (#"{"alerts":[],"x":"abc"#, "invalid JSON: unexpected end of input at line 1, column 22 (byte 21)"),
        ("\r\n\r\n  }", "invalid JSON: expected a value, found '}' at line 3, column 3 (byte 6)"),
    ])
    func syntaxErrorsSayWhere(_ text: String, _ expected: String) {
        #expect(reason(text) == expected)
    }

    @Test func everyOverloadDecodesTheSame() throws {
        for name in Fixtures.payloadNames {
            let data = try Fixtures.payload(name)
            let viaData = try AlertmanagerWebhook.decode(data)
            #expect(try AlertmanagerWebhook.decode(Array(data)) == viaData)
            #expect(try Array(data).withUnsafeBytes { buffer in try AlertmanagerWebhook.decode(buffer) } == viaData)
            // The reference Decodable mapping (ReferenceWebhookDecoder.swift) agrees.
            #expect(try JSONDecoder().decode(AlertmanagerWebhook.self, from: data) == viaData)
        }
        #expect(reason([]) == "the file is empty")
        #expect(throws: WebhookDecodingError("the file is empty")) { try AlertmanagerWebhook.decode(UnsafeRawBufferPointer(start: nil, count: 0)) }
    }
}

@Suite struct WebhookParserMappingTests {
    @Test func theFirstOfDuplicateKeysWins() throws {
        let text =
            #"{"version":"a","alerts":[{"labels":{"k":"1","k":2},"startsAt":"2026-01-01T00:00:00Z","startsAt":"x","labels":7}],"version":3,"alerts":null,"status":"resolved","status":"nonsense"}"#
        let webhook = try AlertmanagerWebhook.decode(Data(text.utf8))
        #expect(webhook.version == "a")
        #expect(webhook.status == .resolved)
        #expect(webhook.alerts.map(\.labels) == [["k": "1"]])
        #expect(webhook.alerts[0].status == .resolved)
        #expect(reason(#"{"alerts":null,"alerts":[]}"#) == "alerts: expected a list, found null")
        #expect(
            reason(body(alert: #","labels":{"a":3,"a":"b"}"#).replacingOccurrences(of: #""labels":{"alertname":"A"},"#, with: ""))
                == "alerts[0].labels.a: expected a string")
    }

    @Test func errorsFollowDeclarationOrderNotByteOrder() {
        // Top level: version before status before alerts, wherever they are written.
        #expect(reason(#"{"alerts":[{"status":"x"}],"status":3,"version":true}"#) == "version: expected a string")
        #expect(reason(#"{"alerts":5,"status":"x"}"#) == "status: Cannot initialize AlertStatus from invalid String value x")
        #expect(reason(#"{"externalURL":1,"commonLabels":[]}"#) == "commonLabels: expected an object")
        #expect(reason(#"{"receiver":1}"#) == "receiver: expected a string")
        #expect(reason(#"{"version":"4"}"#) == "alerts: required key is missing")
        // In an alert: status, labels, annotations, startsAt, endsAt, generatorURL, fingerprint.
        #expect(
            reason(#"{"alerts":[{"fingerprint":1,"endsAt":2,"startsAt":"0001-01-01T00:00:00Z","annotations":{"a":3}}]}"#)
                == "alerts[0].labels: required key is missing")
        #expect(
            reason(#"{"alerts":[{"fingerprint":1,"endsAt":2,"startsAt":"0001-01-01T00:00:00Z","labels":{}}]}"#)
                == "alerts[0].startsAt: startsAt is the zero time")
        #expect(
            reason(#"{"alerts":[{"fingerprint":1,"endsAt":"soon","startsAt":"2026-01-01T00:00:00Z","labels":{}}]}"#)
                == "alerts[0].endsAt: not an RFC 3339 time: soon")
        // The first bad alert wins; alerts without any status are checked after all alerts.
        #expect(
            reason(#"{"alerts":[{"labels":{},"startsAt":"2026-01-01T00:00:00Z"},{"labels":{},"startsAt":"x"},{"labels":3}]}"#)
                == "alerts[1].startsAt: not an RFC 3339 time: x")
        #expect(
            reason(#"{"alerts":[{"status":"firing","labels":{},"startsAt":"2026-01-01T00:00:00Z"},{"labels":{},"startsAt":"2026-01-01T00:00:00Z"}]}"#)
                == "alerts[1].status: required key is missing")
        // Any syntax error wins over every mapping error.
        #expect(reason(#"{"version":true,"alerts":[],"x":01}"#)?.hasPrefix("invalid JSON") == true)
    }

    @Test(arguments: [
        ("3", "the top level: expected an object"),
        ("null", "the top level: expected an object, found null"),
        (#"[{"alerts":[]}]"#, "the top level: expected an object"),
        (#"{"alerts":null}"#, "alerts: expected a list, found null"),
        (#"{"alerts":"x"}"#, "alerts: expected a list"),
        (#"{"alerts":[null]}"#, "alerts[0]: expected an object, found null"),
        (#"{"alerts":[[]]}"#, "alerts[0]: expected an object"),
        (#"{"groupLabels":"x","alerts":[]}"#, "groupLabels: expected an object"),
        (#"{"commonLabels":{"x":null},"alerts":[]}"#, "commonLabels.x: expected a string, found null"),
        (#"{"commonAnnotations":{"7":false},"alerts":[]}"#, "commonAnnotations[7]: expected a string"),
        (
            #"{"alerts":[{"status":"firing","labels":null,"startsAt":"2026-01-01T00:00:00Z"}]}"#,
            "alerts[0].labels: expected an object, found null"
        ),
        (#"{"alerts":[{"status":"firing","labels":{"a":"b"},"startsAt":null}]}"#, "alerts[0].startsAt: expected a string, found null"),
        (#"{"alerts":[{"status":"firing","labels":{"a":"b"},"startsAt":20260101}]}"#, "alerts[0].startsAt: expected a string"),
        (#"{"alerts":[{"status":7,"labels":{"a":"b"},"startsAt":"2026-01-01T00:00:00Z"}]}"#, "alerts[0].status: expected a string"),
        (
            #"{"alerts":[{"status":"firing","labels":{"a":"b"},"startsAt":"2026-01-01T00:00:00Z","generatorURL":[]}]}"#,
            "alerts[0].generatorURL: expected a string"
        ),
        (
            #"{"alerts":[{"status":"firing","labels":{"a":"b"},"startsAt":"2026-01-01T00:00:00Z","annotations":{"s":{}}}]}"#,
            "alerts[0].annotations.s: expected a string"
        ),
        (
            #"{"alerts":[{"status":"firing","labels":{"a":"b"},"startsAt":"a very long text that is not a time at all, really"}]}"#,
            "alerts[0].startsAt: not an RFC 3339 time: a very long text that is not a time at a"
        ),
        (
            #"{"alerts":[{"status":"fir\ning","labels":{"a\nb":1},"startsAt":"2026-01-01T00:00:00Z"}]}"#,
            #"alerts[0].status: Cannot initialize AlertStatus from invalid String value fir\ning"#
        ),
        (
            #"{"alerts":[{"status":"firing","labels":{"a\u2028b":1},"startsAt":"2026-01-01T00:00:00Z"}]}"#,
            #"alerts[0].labels.a\u{2028}b: expected a string"#
        ),
    ])
    func mappingErrorsNameThePath(_ text: String, _ expected: String) {
        #expect(reason(text) == expected)
    }

    @Test func nullsAndAbsencesDefaultAsBefore() throws {
        let text =
            #"{"version":null,"groupKey":null,"truncatedAlerts":null,"status":null,"receiver":null,"groupLabels":null,"commonLabels":null,"commonAnnotations":null,"externalURL":null,"alerts":[{"status":"resolved","labels":{},"annotations":null,"startsAt":"2026-01-01T00:00:00+01:00","endsAt":null,"generatorURL":null,"fingerprint":null},{"status":"firing","labels":{"a":""},"startsAt":"2026-01-01t00:00:00.5z","endsAt":"0001-01-01T00:00:00Z"}]}"#
        let webhook = try AlertmanagerWebhook.decode(Data(text.utf8))
        let first = try #require(Timestamp(rfc3339: "2025-12-31T23:00:00Z"))
        let second = try #require(Timestamp(rfc3339: "2026-01-01T00:00:00.5Z"))
        #expect(
            webhook
                == AlertmanagerWebhook(
                    version: nil, groupKey: nil, truncatedAlerts: 0, status: nil, receiver: "", groupLabels: [:], commonLabels: [:],
                    commonAnnotations: [:], externalURL: "",
                    alerts: [
                        Alert(status: .resolved, labels: [:], startsAt: first),
                        Alert(status: .firing, labels: ["a": ""], startsAt: second),
                    ]))
    }
}

// MARK: - Differential test against JSONSerialization

/// The webhook mapping written independently over `JSONSerialization`'s objects: what
/// `AlertmanagerWebhook.decode` must produce, reasons included, for bodies without duplicate
/// keys and with at most one bad value per object of strings.
private enum ReferenceMapping {
    static func decode(_ bytes: [UInt8]) -> Result<AlertmanagerWebhook, WebhookDecodingError> {
        if bytes.isEmpty { return .failure(WebhookDecodingError("the file is empty")) }
        guard let object = try? JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed]) else {
            return .failure(WebhookDecodingError("invalid JSON"))
        }
        return Result { () throws(WebhookDecodingError) in try webhook(object) }
    }

    private static func fail(_ reason: String) -> WebhookDecodingError {
        // Text quoted from the body has its control characters escaped to keep one line.
        var out = ""
        for scalar in reason.unicodeScalars {
            let breaks = scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) || scalar.value == 0x2028 || scalar.value == 0x2029
            if breaks { out += scalar.escaped(asASCII: true) } else { out.unicodeScalars.append(scalar) }
        }
        return WebhookDecodingError(out)
    }

    private static func webhook(_ object: Any) throws(WebhookDecodingError) -> AlertmanagerWebhook {
        guard let top = object as? [String: Any] else {
            throw fail("the top level: expected an object\(object is NSNull ? ", found null" : "")")
        }
        var webhook = AlertmanagerWebhook(version: nil, alerts: [])
        webhook.version = try lenientString(top["version"], "version")
        webhook.groupKey = try lenientString(top["groupKey"], "groupKey")
        if let number = top["truncatedAlerts"] as? NSNumber, !(top["truncatedAlerts"] is String) {
            webhook.truncatedAlerts = Int(number.stringValue) ?? 0
        }
        webhook.status = try status(top["status"], "status")
        webhook.receiver = try string(top["receiver"], "receiver") ?? ""
        webhook.groupLabels = try map(top["groupLabels"], "groupLabels") ?? [:]
        webhook.commonLabels = try map(top["commonLabels"], "commonLabels") ?? [:]
        webhook.commonAnnotations = try map(top["commonAnnotations"], "commonAnnotations") ?? [:]
        webhook.externalURL = try string(top["externalURL"], "externalURL") ?? ""
        guard let alerts = top["alerts"] else { throw fail("alerts: required key is missing") }
        if alerts is NSNull { throw fail("alerts: expected a list, found null") }
        guard let list = alerts as? [Any] else { throw fail("alerts: expected a list") }
        var statusless: [Int] = []
        for (index, element) in list.enumerated() {
            guard let object = element as? [String: Any] else {
                throw fail("alerts[\(index)]: expected an object\(element is NSNull ? ", found null" : "")")
            }
            let (alert, hasStatus) = try self.alert(object, index)
            if !hasStatus { statusless.append(index) }
            webhook.alerts.append(alert)
        }
        for index in statusless {
            guard let status = webhook.status else { throw fail("alerts[\(index)].status: required key is missing") }
            webhook.alerts[index].status = status
        }
        return webhook
    }

    private static func alert(_ object: [String: Any], _ index: Int) throws(WebhookDecodingError) -> (Alert, Bool) {
        let at = "alerts[\(index)]."
        let status = try status(object["status"], at + "status")
        guard let labelsValue = object["labels"] else { throw fail(at + "labels: required key is missing") }
        if labelsValue is NSNull { throw fail(at + "labels: expected an object, found null") }
        let labels = try map(labelsValue, at + "labels") ?? [:]
        let annotations = try map(object["annotations"], at + "annotations") ?? [:]
        guard let startsValue = object["startsAt"] else { throw fail(at + "startsAt: required key is missing") }
        guard let startsAt = try timestamp(startsValue, at + "startsAt") else {
            throw fail(at + "startsAt: expected a string, found null")
        }
        if startsAt.isGoZero { throw fail(at + "startsAt: startsAt is the zero time") }
        var endsAt = try timestamp(object["endsAt"], at + "endsAt")
        if endsAt?.isGoZero == true { endsAt = nil }
        let generatorURL = try string(object["generatorURL"], at + "generatorURL") ?? ""
        let fingerprint = try string(object["fingerprint"], at + "fingerprint") ?? ""
        let alert = Alert(
            status: status ?? .firing, labels: labels, annotations: annotations, startsAt: startsAt, endsAt: endsAt,
            generatorURL: generatorURL, senderFingerprint: fingerprint)
        return (alert, status != nil)
    }

    private static func string(_ value: Any?, _ path: String) throws(WebhookDecodingError) -> String? {
        guard let value, !(value is NSNull) else { return nil }
        guard let text = value as? String else { throw fail("\(path): expected a string") }
        return text
    }

    private static func lenientString(_ value: Any?, _ path: String) throws(WebhookDecodingError) -> String? {
        guard let value, !(value is NSNull) else { return nil }
        if let text = value as? String { return text }
        // The generator writes integers only; JSONSerialization gives booleans as NSNumbers too.
        if let number = value as? NSNumber, !"\(type(of: number))".contains("Boolean") { return number.stringValue }
        throw fail("\(path): expected a string")
    }

    private static func status(_ value: Any?, _ path: String) throws(WebhookDecodingError) -> AlertStatus? {
        guard let text = try string(value, path) else { return nil }
        guard let status = AlertStatus(rawValue: text) else {
            throw fail("\(path): Cannot initialize AlertStatus from invalid String value \(text)")
        }
        return status
    }

    private static func timestamp(_ value: Any?, _ path: String) throws(WebhookDecodingError) -> Timestamp? {
        guard let text = try string(value, path) else { return nil }
        guard let stamp = Timestamp(rfc3339: text) else { throw fail("\(path): not an RFC 3339 time: \(text.prefix(40))") }
        return stamp
    }

    private static func map(_ value: Any?, _ path: String) throws(WebhookDecodingError) -> [String: String]? {
        guard let value, !(value is NSNull) else { return nil }
        guard let object = value as? [String: Any] else { throw fail("\(path): expected an object") }
        var out: [String: String] = [:]
        for (key, element) in object {
            let keyPath = Int(key).map { "\(path)[\($0)]" } ?? "\(path).\(key)"
            if element is NSNull { throw fail("\(keyPath): expected a string, found null") }
            guard let text = element as? String else { throw fail("\(keyPath): expected a string") }
            out[key] = text
        }
        return out
    }
}

/// Random webhook bodies: escapes, Unicode, key order, whitespace, optional fields, ignored
/// junk, and (when `bad`) wrongly typed or malformed values.
private struct BodyGenerator {
    var rng: SeededRandom

    mutating func chance(_ p: Double) -> Bool { Double.random(in: 0..<1, using: &rng) < p }
    mutating func pick<T>(_ items: [T]) -> T { items[Int.random(in: 0..<items.count, using: &rng)] }

    mutating func whitespace() -> String { pick(["", "", "", " ", "\n", "\t", "\r\n  ", "  "]) }

    static let texts = [
        "a", "", "node", "web1:9100", "é", "服务异常告警", "😀", "q\"b", "back\\slash", "tab\there", "line\nbreak", "\u{0}", "\u{1F}x",
        "\u{7F}", "\u{2028}", "/path/to", "5", "-3", "007", "a.b", "Ünïcödé 𐍈", "\u{FFFD}", "{\"json\":[1]}",
    ]

    mutating func text() -> String { pick(BodyGenerator.texts) + (chance(0.3) ? String(Int.random(in: 0..<1000, using: &rng)) : "") }

    /// `text` as a JSON string, each character written raw or escaped at random.
    mutating func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += chance(0.5) ? "\\\"" : "\\u0022"
            case "\\": out += chance(0.5) ? "\\\\" : "\\u005c"
            case "\n": out += chance(0.5) ? "\\n" : "\\u000A"
            case "\t": out += chance(0.5) ? "\\t" : "\\u0009"
            case "/": out += chance(0.5) ? "\\/" : "/"
            default:
                if scalar.value < 0x20 || chance(0.15) {
                    for unit in String(scalar).utf16 { out += hexEscape(unit) }
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    mutating func hexEscape(_ unit: UInt16) -> String {
        let hex = String(unit, radix: 16)
        let padded = String(repeating: "0", count: 4 - hex.count) + hex
        return "\\u" + (chance(0.5) ? padded.uppercased() : padded)
    }

    /// An object written with shuffled members and random whitespace.
    mutating func object(_ members: [(String, String)]) -> String {
        let members = members.shuffled(using: &rng)
        let inner = members.map { "\(whitespace())\(quoted($0.0))\(whitespace()):\(whitespace())\($0.1)\(whitespace())" }
        return "{" + inner.joined(separator: ",") + whitespace() + "}"
    }

    /// Ignored JSON of any kind, nested a little.
    mutating func junk(_ depth: Int = 0) -> String {
        switch Int.random(in: 0..<(depth > 3 ? 4 : 6), using: &rng) {
        case 0: return pick(["1.5e-7", "-0.0E+3", "6.02214076e23", "-12", "0", "1E300", "123456789012345678901234567890"])
        case 1: return pick(["true", "false", "null"])
        case 2: return quoted(text())
        case 3: return "[]"
        case 4: return "[" + (0..<Int.random(in: 1...3, using: &rng)).map { _ in whitespace() + junk(depth + 1) }.joined(separator: ",") + "]"
        default:
            var keys = Set<String>()
            for _ in 0..<Int.random(in: 1...3, using: &rng) { keys.insert(pick(["alerts", "labels", "status", "x", "y", text()])) }
            return object(keys.sorted().map { ($0, junk(depth + 1)) })
        }
    }

    /// An object of strings; when `bad`, possibly one value of another kind.
    mutating func stringMap(bad: Bool) -> String {
        var keys = Set<String>()
        for _ in 0..<Int.random(in: 0...5, using: &rng) { keys.insert(text()) }
        let badKey = bad && !keys.isEmpty && chance(0.3) ? keys.sorted()[0] : nil
        return object(
            keys.sorted().map { key in
                (key, key == badKey ? pick(["3", "null", "true", "{}", "[\"a\"]"]) : quoted(text()))
            })
    }

    static let goodTimes = [
        "2026-01-01T00:00:00Z", "2021-03-30T20:17:50.814674209+08:00", "2000-01-01t00:00:00z", "2023-12-29T10:44:55.492Z",
        "2016-04-07T10:08:52-06:00", "2024-02-29 23:59:59.1234567891234Z",
    ]

    mutating func time(bad: Bool, endsAt: Bool) -> String {
        if bad, chance(0.2) { return pick(["null", "3", quoted("yesterday"), quoted("0001-01-01T00:00:00Z"), quoted("2021-02-29T00:00:00Z")]) }
        if endsAt, chance(0.3) { return chance(0.5) ? "null" : quoted("0001-01-01T00:00:00Z") }
        return quoted(pick(BodyGenerator.goodTimes))
    }

    mutating func string(bad: Bool) -> String {
        if bad, chance(0.2) { return pick(["1", "[]", "{}", "false"]) }
        return chance(0.1) ? "null" : quoted(text())
    }

    mutating func status(bad: Bool) -> String {
        if bad, chance(0.2) { return pick(["3", quoted("burning"), quoted("Firing"), quoted("")]) }
        return chance(0.1) ? "null" : quoted(pick(["firing", "resolved"]))
    }

    mutating func alert(bad: Bool) -> String {
        var members: [(String, String)] = []
        if chance(0.85) { members.append(("status", status(bad: bad))) }
        if !bad || chance(0.9) { members.append(("labels", stringMap(bad: bad))) }
        if chance(0.6) { members.append(("annotations", chance(0.1) ? "null" : stringMap(bad: bad))) }
        if !bad || chance(0.9) { members.append(("startsAt", time(bad: bad, endsAt: false))) }
        if chance(0.6) { members.append(("endsAt", time(bad: bad, endsAt: true))) }
        if chance(0.6) { members.append(("generatorURL", string(bad: bad))) }
        if chance(0.6) { members.append(("fingerprint", string(bad: bad))) }
        if chance(0.3) { members.append(("extra", junk())) }
        return object(members)
    }

    mutating func body() -> [UInt8] {
        let bad = chance(0.35)
        var members: [(String, String)] = []
        if chance(0.6) {
            members.append(("version", pick([quoted("4"), quoted(text()), "4", "null", "-7", "0", "-0", "43434343434343434343"])))
        }
        if chance(0.6) { members.append(("groupKey", pick([quoted("{}:{alertname=\"A\"}"), quoted(text()), "98765432109876543210", "null"]))) }
        if bad, chance(0.1) { members.append((pick(["version", "groupKey"]), pick(["true", "{}", "[]"]))) }
        if chance(0.4) { members.append(("truncatedAlerts", pick(["0", "3", "-2", "null", quoted("5")]))) }
        if chance(0.7) { members.append(("status", status(bad: bad))) }
        if chance(0.6) { members.append(("receiver", string(bad: bad))) }
        for key in ["groupLabels", "commonLabels", "commonAnnotations"] where chance(0.6) {
            members.append((key, chance(0.1) ? "null" : stringMap(bad: bad)))
        }
        if chance(0.6) { members.append(("externalURL", string(bad: bad))) }
        if chance(0.3) { members.append(("unknown", junk())) }
        if !bad || chance(0.95) {
            var alerts = (0..<Int.random(in: 0...4, using: &rng)).map { _ in alert(bad: bad && chance(0.5)) }
            if bad, chance(0.1) { alerts.append(pick(["null", "3", "[]"])) }
            let list = "[" + alerts.map { whitespace() + $0 + whitespace() }.joined(separator: ",") + "]"
            members.append(("alerts", bad && chance(0.05) ? pick(["null", "{}", "3"]) : list))
        }
        var dedup: [String: String] = [:]
        for (key, value) in members where dedup[key] == nil { dedup[key] = value }
        return Array((whitespace() + object(dedup.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }) + whitespace()).utf8)
    }
}

@Suite struct WebhookParserDifferentialTests {
    /// Compares the parser with the reference; a syntax error needs only agree on being one.
    private func expectAgreement(_ bytes: [UInt8], _ label: String) {
        let expected = ReferenceMapping.decode(bytes)
        let actual = outcome(bytes)
        switch (expected, actual) {
        case (.success(let want), .success(let got)):
            #expect(got == want, "\(label)")
        case (.failure(let want), .failure(let got)) where want.reason == "invalid JSON":
            #expect(got.reason.hasPrefix("invalid JSON: "), "\(label): \(got.reason)")
        case (.failure(let want), .failure(let got)):
            #expect(got.reason == want.reason, "\(label)")
        default:
            Issue.record("\(label): reference \(expected), parser \(actual); body: \(String(decoding: bytes, as: UTF8.self))")
        }
    }

    @Test func everyFixtureDecodesAsTheReferenceMapping() throws {
        #expect(!Fixtures.payloadNames.isEmpty)
        for name in Fixtures.payloadNames {
            let bytes = Array(try Fixtures.payload(name))
            expectAgreement(bytes, name)
            #expect(throws: Never.self, "\(name)") { try AlertmanagerWebhook.decode(bytes) }
        }
    }

    @Test func generatedBodiesDecodeAsTheReferenceMapping() {
        var generator = BodyGenerator(rng: SeededRandom(seed: 0x5EED_0001))
        var accepted = 0
        for index in 0..<600 {
            let bytes = generator.body()
            expectAgreement(bytes, "generated body \(index)")
            if case .success = outcome(bytes) { accepted += 1 }
        }
        // Both kinds are exercised in earnest.
        #expect(accepted > 250)
        #expect(accepted < 550)
    }

    @Test func everyTruncationIsRefusedWithAReason() throws {
        let bytes = Array(try Fixtures.payload("04-unicode-cjk-escaped-receiver.json"))
        for length in 0..<bytes.count {
            let prefix = Array(bytes[..<length])
            let onlyWhitespaceCut = bytes[length...].allSatisfy { [0x20, 0x0A, 0x0D, 0x09].contains($0) }
            switch outcome(prefix) {
            case .success:
                #expect(onlyWhitespaceCut, "a truncation to \(length) bytes was accepted")
            case .failure(let error):
                #expect(!onlyWhitespaceCut, "\(length): \(error.reason)")
                let expected = length == 0 ? "the file is empty" : "invalid JSON: "
                #expect(error.reason.hasPrefix(expected), "\(length): \(error.reason)")
                #expect(!error.reason.contains("\n"))
            }
        }
    }

    @Test func flippedBytesNeverCrashAndAcceptOnlyWhatTheReferenceAccepts() throws {
        var rng = SeededRandom(seed: 0xF11B)
        let replacements: [UInt8] = Array("\"{}[],:\\ x1e-.n/".utf8) + [0x00, 0x0A, 0x1F, 0x7F, 0x80, 0xBF, 0xC3, 0xED, 0xF4, 0xFF]
        for name in Fixtures.payloadNames {
            let original = Array(try Fixtures.payload(name))
            for _ in 0..<300 {
                var bytes = original
                for _ in 0..<Int.random(in: 1...3, using: &rng) {
                    bytes[Int.random(in: 0..<bytes.count, using: &rng)] = replacements[Int.random(in: 0..<replacements.count, using: &rng)]
                }
                switch outcome(bytes) {
                case .success(let webhook):
                    // Accepted input is valid JSON that the reference maps the same way (unless
                    // the flip made a duplicate key, where JSONSerialization keeps the last).
                    if case .success(let want) = ReferenceMapping.decode(bytes) {
                        #expect(webhook == want || hasDuplicateKeys(bytes), "\(name)")
                    } else {
                        #expect(hasDuplicateKeys(bytes), "\(name): accepted what the reference refuses")
                    }
                case .failure(let error):
                    #expect(!error.reason.isEmpty && !error.reason.contains("\n"))
                }
            }
        }
    }

    /// Whether some object in `bytes` (valid JSON) repeats a key (compared as written).
    private func hasDuplicateKeys(_ bytes: [UInt8]) -> Bool {
        var stack: [(isObject: Bool, keys: Set<[UInt8]>)] = []
        var expectKey = false
        var index = 0
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: "{"):
                stack.append((true, []))
                expectKey = true
            case UInt8(ascii: "["):
                stack.append((false, []))
                expectKey = false
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                _ = stack.popLast()
                expectKey = false
            case UInt8(ascii: ","):
                expectKey = stack.last?.isObject == true
            case UInt8(ascii: "\""):
                var end = index + 1
                while end < bytes.count, bytes[end] != UInt8(ascii: "\"") { end += bytes[end] == UInt8(ascii: "\\") ? 2 : 1 }
                if expectKey, !stack.isEmpty, !stack[stack.count - 1].keys.insert(Array(bytes[(index + 1)..<min(end, bytes.count)])).inserted {
                    return true
                }
                expectKey = false
                index = end
            default:
                break
            }
            index += 1
        }
        return false
    }
}
