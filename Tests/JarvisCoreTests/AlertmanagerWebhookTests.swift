import Foundation
import JarvisCore
import JarvisTestSupport
import Testing

/// What one golden payload must yield: per alert (status, fingerprint, startsAt, endsAt).
struct GoldenPayload: Sendable, CustomTestStringConvertible {
    var file: String
    var version: String?
    var groupKey: String?
    var alerts: [(status: AlertStatus, fingerprint: String, startsAt: String, endsAt: String?)]
    var testDescription: String { file }
}

// Expected values come from an independent Python implementation (see Tests/Fixtures/payloads/README.md).
let goldenPayloads: [GoldenPayload] = [
    GoldenPayload(
        file: "01-multi-alert-firing-empty-grouplabels.json", version: "4", groupKey: "{}/{owner=\"back-office\"}:{}",
        alerts: [
            (.firing, "0ef0416075c52610", "2021-02-02T14:25:03.123244212Z", nil),
            (.firing, "8617b30a54752c65", "2021-02-02T18:44:18.123244212Z", nil),
            (.firing, "c1bbe2826ccaa065", "2021-02-02T14:25:03.123244212Z", nil),
            (.firing, "3af99032ce4f31e7", "2021-02-02T18:48:48.123244212Z", nil),
            (.firing, "fb6f474524228416", "2021-02-02T18:48:48.123244212Z", nil),
            (.firing, "364d85e9d1b0913c", "2021-02-02T18:48:48.123244212Z", nil),
            (.firing, "293a6f0e3560177d", "2021-02-02T18:48:48.123244212Z", nil),
            (.firing, "d775962fdd74ceda", "2021-02-02T18:48:48.123244212Z", nil),
        ]),
    GoldenPayload(
        file: "02-resolved-two-alerts.json", version: "4", groupKey: "{}:{alertname=\"CPUHigh\"}",
        alerts: [
            (.resolved, "aca87c508efac354", "2021-03-30T12:17:50.814674209Z", "2021-03-30T13:17:50.814674209Z"),
            (.resolved, "caa4018fc449b512", "2021-03-30T12:17:50.814674209Z", "2021-03-30T13:17:50.814674209Z"),
        ]),
    GoldenPayload(
        file: "03-mixed-firing-resolved-same-group.json", version: "4", groupKey: "{}:{alertname=\"CPUHigh\"}",
        alerts: [
            (.firing, "72d99c17d805fc56", "2021-03-30T12:17:50.814674209Z", nil),
            (.resolved, "aca87c508efac354", "2021-03-30T12:17:50.814674209Z", "2021-03-30T13:17:50.814674209Z"),
            (.firing, "08a9f5e706cb2da6", "2021-03-30T12:17:50.814674209Z", nil),
            (.firing, "bef551aceb6e332e", "2021-03-30T12:17:50.814674209Z", nil),
        ]),
    GoldenPayload(
        file: "04-unicode-cjk-escaped-receiver.json", version: "4",
        groupKey: "{}/{app=\"nginx\"}:{alertname=\"服务异常告警\", instance=\"172.18.68.209:58888\"}",
        alerts: [
            (.firing, "3407d122c7e8c961", "2023-12-29T10:44:55.492000000Z", nil),
            (.firing, "e069919362a06972", "2023-12-29T10:44:40.492000000Z", nil),
        ]),
    GoldenPayload(
        file: "05-long-annotation-over-4096-chars.json", version: "3", groupKey: "43434343434343434343",
        alerts: [(.firing, "73fd592d16a05de6", "2016-04-27T20:46:37.903000000Z", nil)]),
    GoldenPayload(
        file: "06-no-version-no-groupkey-empty-fingerprint.json", version: nil, groupKey: nil,
        alerts: [
            (.firing, "5714ca6177701704", "2016-04-07T16:08:52Z", nil),
            (.firing, "4a66b51f01c085c4", "2016-04-07T16:08:52Z", nil),
        ]),
    GoldenPayload(
        file: "07-alertmanager-0.25-captured-here.json", version: "4",
        groupKey: "{}:{alertname=\"JarvisTestDiskFull\", instance=\"web1:9100\"}",
        alerts: [(.firing, "4924976ad7844850", "2026-11-29T01:09:23.278124551Z", nil)]),
]

@Suite struct AlertmanagerWebhookTests {
    @Test func everyBundledPayloadHasAGoldenExpectation() {
        #expect(Fixtures.payloadNames == goldenPayloads.map(\.file))
    }

    @Test(arguments: goldenPayloads)
    func goldenPayloadDecodesToExpectedAlerts(_ golden: GoldenPayload) throws {
        let webhook = try AlertmanagerWebhook.decode(try Fixtures.payload(golden.file))
        #expect(webhook.version == golden.version)
        #expect(webhook.groupKey == golden.groupKey)
        #expect(webhook.alerts.count == golden.alerts.count)
        for (alert, expected) in zip(webhook.alerts, golden.alerts) {
            #expect(alert.status == expected.status)
            #expect(alert.fingerprint == expected.fingerprint)
            #expect(alert.startsAt.rfc3339 == expected.startsAt)
            #expect(alert.endsAt?.rfc3339 == expected.endsAt)
            #expect(alert.occurrence.description == "\(expected.fingerprint)@\(expected.startsAt)")
            #expect(
                alert.occurrence.idempotencyKey(status: expected.status) == "\(expected.fingerprint)@\(expected.startsAt)/\(expected.status.rawValue)"
            )
        }
    }

    @Test func realAlertmanagerFingerprintIsReproducedFromLabels() throws {
        // The sender's fingerprint is trusted nowhere, so the recomputed one must equal it
        // wherever the sender is a real Alertmanager.
        for name in [
            "01-multi-alert-firing-empty-grouplabels.json", "04-unicode-cjk-escaped-receiver.json", "07-alertmanager-0.25-captured-here.json",
        ] {
            for alert in try AlertmanagerWebhook.decode(try Fixtures.payload(name)).alerts {
                #expect(alert.fingerprint == alert.senderFingerprint)
            }
        }
    }

    @Test func sharedSenderFingerprintsStillGiveDistinctOccurrences() throws {
        let alerts = try AlertmanagerWebhook.decode(try Fixtures.payload("03-mixed-firing-resolved-same-group.json")).alerts
        #expect(Set(alerts.map(\.senderFingerprint)).count == 1)
        #expect(Set(alerts.map(\.occurrence)).count == 4)
    }

    @Test func firingGroupKeepsEachAlertsOwnStatus() throws {
        let webhook = try AlertmanagerWebhook.decode(try Fixtures.payload("03-mixed-firing-resolved-same-group.json"))
        #expect(webhook.status == .firing)
        #expect(webhook.alerts.map(\.status) == [.firing, .resolved, .firing, .firing])
    }

    @Test func longAnnotationIsKeptWhole() throws {
        let alert = try #require(try AlertmanagerWebhook.decode(try Fixtures.payload("05-long-annotation-over-4096-chars.json")).alerts.first)
        #expect(alert.annotations.values.map(\.count).max() == 4955)
    }

    @Test func unicodeLabelsSurvive() throws {
        let webhook = try AlertmanagerWebhook.decode(try Fixtures.payload("04-unicode-cjk-escaped-receiver.json"))
        #expect(webhook.alerts[0].alertname == "服务异常告警")
        #expect(webhook.receiver == "web\\.hook\\.prometheusalert")
    }

    @Test func missingOptionalFieldsDefault() throws {
        let body = #"{"alerts":[{"status":"firing","labels":{"alertname":"A"},"startsAt":"2026-01-01T00:00:00Z"}]}"#
        let webhook = try AlertmanagerWebhook.decode(Data(body.utf8))
        #expect(webhook.version == nil)
        #expect(webhook.receiver == "")
        #expect(webhook.alerts[0].annotations == [:])
        #expect(webhook.alerts[0].endsAt == nil)
        #expect(webhook.alerts[0].senderFingerprint == "")
    }

    @Test func alertWithoutStatusTakesTheGroupStatus() throws {
        let body = #"{"status":"resolved","alerts":[{"labels":{"alertname":"A"},"startsAt":"2026-01-01T00:00:00Z"}]}"#
        #expect(try AlertmanagerWebhook.decode(Data(body.utf8)).alerts[0].status == .resolved)
    }

    @Test(arguments: [
        ("", "the file is empty"),
        ("{bad", "invalid JSON"),
        ("[]", "expected"),
        (#"{"alerts":{}}"#, "alerts"),
        (#"{"alerts":[{"status":"firing","labels":{"alertname":3},"startsAt":"2026-01-01T00:00:00Z"}]}"#, "alerts[0].labels.alertname"),
        (#"{"alerts":[{"status":"firing","labels":{"a":"b"}}]}"#, "startsAt"),
        (#"{"alerts":[{"status":"firing","labels":{"a":"b"},"startsAt":"yesterday"}]}"#, "alerts[0].startsAt"),
        (#"{"alerts":[{"status":"burning","labels":{"a":"b"},"startsAt":"2026-01-01T00:00:00Z"}]}"#, "alerts[0].status"),
        (#"{"alerts":[{"labels":{"a":"b"},"startsAt":"2026-01-01T00:00:00Z"}]}"#, "status"),
        (#"{"alerts":[{"status":"firing","startsAt":"2026-01-01T00:00:00Z"}]}"#, "labels"),
        (#"{"alerts":[{"status":"firing","labels":{"a":"b"},"startsAt":"0001-01-01T00:00:00Z"}]}"#, "zero time"),
        (#"{"groupKey":true,"alerts":[]}"#, "groupKey"),
    ])
    func badBodiesGiveAOneLineReasonNamingThePath(_ body: String, _ expected: String) {
        #expect(throws: WebhookDecodingError.self) { try AlertmanagerWebhook.decode(Data(body.utf8)) }
        do {
            _ = try AlertmanagerWebhook.decode(Data(body.utf8))
        } catch {
            #expect(error.reason.contains(expected), "reason was: \(error.reason)")
            #expect(!error.reason.contains("\n"))
        }
    }

    @Test func alertEventsDropDuplicatesInsideOneBody() throws {
        let one = #"{"status":"firing","labels":{"alertname":"A","instance":"x"},"startsAt":"2026-01-01T00:00:00Z"}"#
        let body = #"{"alerts":[\#(one),\#(one)]}"#
        let webhook = try AlertmanagerWebhook.decode(Data(body.utf8))
        let events = AlertEvent.events(from: webhook, sourceSHA256: "", receivedAt: Timestamp(seconds: 0), runner: "r")
        #expect(events.count == 1)
    }

    @Test func alertEventJSONIsValidAndComplete() throws {
        let webhook = try AlertmanagerWebhook.decode(try Fixtures.payload("04-unicode-cjk-escaped-receiver.json"))
        let event = AlertEvent.events(from: webhook, sourceSHA256: "abc", receivedAt: Timestamp(seconds: 1), runner: "r")[0]
        let object = try #require(try JSONSerialization.jsonObject(with: Data(event.json.utf8)) as? [String: Any])
        #expect(object["idempotency_key"] as? String == event.idempotencyKey)
        #expect((object["labels"] as? [String: String])?["alertname"] == "服务异常告警")
        #expect(object["ends_at"] is NSNull)
        #expect(object["received_at"] as? String == "1970-01-01T00:00:01Z")
        #expect(object.count == AlertEventRow.columns.count)
        #expect(object["decision"] is NSNull, "not triaged yet")
    }

    @Test func alertKeyFollowsContainerSystemInstanceOrder() {
        #expect(
            AlertKey(labels: ["alertname": "ContainerDown", "host": "vps", "container": "nginx", "instance": "x"]).description
                == "ContainerDown/vps:nginx")
        #expect(AlertKey(labels: ["alertname": "SystemDown", "system": "nas", "instance": "10.0.0.1:9100"]).description == "SystemDown/nas")
        #expect(AlertKey(labels: ["alertname": "TargetDown", "instance": "web1:9100"]).description == "TargetDown/web1:9100")
        #expect(AlertKey(labels: ["alertname": "DiskSpaceHigh", "host": "nas"]) != AlertKey(labels: ["alertname": "DiskSpaceHigh", "host": "vps"]))
    }
}
