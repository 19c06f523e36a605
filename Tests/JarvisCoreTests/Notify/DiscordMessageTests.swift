import Foundation
import JarvisTestSupport
import Testing

@testable import JarvisCore

@Suite struct DiscordMessageTests {
    @Test(arguments: NotificationKind.allCases) func everyKindIsValidJSONWithinDiscordLimits(kind: NotificationKind) throws {
        let notifications = NotificationSamples.all().filter { $0.kind == kind }
        #expect(!notifications.isEmpty, "no sample for \(kind)")
        for notification in notifications {
            let body = notification.jsonBody(username: "jarvis")
            #expect(DiscordBodyCheck.violations(body) == [], "\(kind): \(body)")
            #expect(DiscordBodyCheck.object(body)?["username"] as? String == "jarvis")
        }
    }

    @Test func hugeTextInEveryKindIsTruncatedNotRejected() {
        let huge = String(repeating: "The quick brown fox 🦊 jumps. ", count: 400)  // 12 000 code points
        for notification in NotificationSamples.all(text: huge, critical: true) {
            let body = notification.jsonBody(username: nil)
            #expect(DiscordBodyCheck.violations(body) == [], "\(notification.kind)")
        }
    }

    @Test func theLongAnnotationFixtureIsTruncatedToTheDescriptionLimit() throws {
        let webhook = try AlertmanagerWebhook.decode(try Fixtures.payload("05-long-annotation-over-4096-chars.json"))
        let alert = try #require(webhook.alerts.first)
        let annotation = try #require(alert.annotations["summary"])
        #expect(annotation.count == 4955)
        let notice = RemediationNotice(
            remediationKey: "k", alertKey: alert.alertKey.description, occurrence: alert.occurrence.description,
            severity: alert.labels["severity"], summary: annotation, action: "noop", output: annotation, at: alert.startsAt)
        for notification in [DiscordNotification.failed(notice), .remediated(notice)] {
            let body = notification.jsonBody(username: "jarvis")
            #expect(DiscordBodyCheck.violations(body) == [])
            let description = try #require(DiscordBodyCheck.embed(body)?["description"] as? String)
            #expect(description.unicodeScalars.count == DiscordLimits.description)
            #expect(description.hasSuffix("…"))
            #expect(annotation.hasPrefix(String(description.dropLast())))
        }
    }

    @Test func alertTextWithMentionsPingsNobody() {
        let text = "@everyone @here <@123> <@&456> <#789> look"
        for notification in NotificationSamples.all(text: text) {
            let body = notification.jsonBody(username: "jarvis")
            #expect(DiscordBodyCheck.parse(body) == [], "\(notification.kind)")
            #expect(DiscordBodyCheck.object(body)?["content"] == nil, "\(notification.kind): alert text must stay in the embed")
            if notification.kind != .flapping { #expect(body.contains("<@123>"), "\(notification.kind)") }  // shown, as text
        }
    }

    @Test func criticalEscalationPingsHereAndOnlyIt() {
        let critical = Escalation(
            alertKey: "A/x", alertname: "A", occurrence: "o", critical: true, attempts: 3, windowSeconds: 7200, at: NotificationSamples.t0)
        let body = DiscordNotification.escalation(critical, summary: "@everyone <@123>").jsonBody(username: "jarvis")
        #expect(DiscordBodyCheck.object(body)?["content"] as? String == "@here")
        #expect(DiscordBodyCheck.parse(body) == ["everyone"])
        #expect(DiscordBodyCheck.embed(body)?["color"] as? Int == NotificationSeverity.critical.color)

        var warning = critical
        warning.critical = false
        let quiet = DiscordNotification.escalation(warning, summary: "@everyone").jsonBody(username: "jarvis")
        #expect(DiscordBodyCheck.object(quiet)?["content"] == nil)
        #expect(DiscordBodyCheck.parse(quiet) == [])
        #expect(DiscordBodyCheck.embed(quiet)?["color"] as? Int == NotificationSeverity.warning.color)
    }

    @Test func onlyCriticalEscalationsEverMentionHere() {
        let messages = NotificationSamples.all(critical: true)
        #expect(messages.filter(\.message.mentionsHere).map(\.kind) == [.escalation])
    }

    @Test func coloursFollowSeverity() {
        let colours = Dictionary(NotificationSamples.all().map { ($0.kind, $0.message.embed.severity) }, uniquingKeysWith: { first, _ in first })
        #expect(colours[.remediated] == .success)
        #expect(colours[.hostOffline] == .critical)
        #expect(colours[.hostRecovered] == .success)
        #expect(colours[.failed] == .warning)
        #expect(colours[.maintenanceStarted] == .info)
        #expect(NotificationSamples.all(critical: true).first { $0.kind == .failed }?.message.embed.severity == .critical)
    }

    @Test func controlCharactersAndQuotesAreEscaped() throws {
        let text = "quote \" backslash \\ newline \n tab \t bell \u{7} nul \u{0} end"
        let body = DiscordNotification.weeklyReport(week: "w", title: text, summary: text, fields: [], at: NotificationSamples.t0).jsonBody(
            username: text)
        let embed = try #require(DiscordBodyCheck.embed(body))
        #expect(embed["title"] as? String == text)
        #expect(embed["description"] as? String == text)
    }

    @Test func dedupKeysComeFromTheFactsSoARepeatedRunBuildsTheSameKeys() {
        let first = NotificationSamples.all().map(\.dedupKey)
        let again = NotificationSamples.all().map(\.dedupKey)
        #expect(first == again)
        #expect(Set(first).count == first.count)
        #expect(first.contains("weekly-report:2026-W48"))
        #expect(first.contains("maintenance-started:7"))
    }

    @Test func hostTransitionsThatAreNotNewsStayQuiet() {
        let t = NotificationSamples.t0
        func transition(_ from: HostState, _ to: HostState) -> HostTransition {
            HostTransition(host: "vps", from: from, to: to, at: t, error: nil, consecutiveFailures: 3, lastSuccessAt: nil)
        }
        #expect(DiscordNotification.hostTransition(transition(.online, .offline))?.kind == .hostOffline)
        #expect(DiscordNotification.hostTransition(transition(.checking, .online))?.kind == .hostRecovered)
        #expect(DiscordNotification.hostTransition(transition(.offline, .online))?.kind == .hostRecovered)
        #expect(DiscordNotification.hostTransition(transition(.offline, .checking)) == nil)
        #expect(DiscordNotification.hostTransition(transition(.checking, .offline)) == nil)
    }

    @Test func hostRecoveredCarriesTheSuppressionSummaryAndDuration() throws {
        var summary = SuppressionSummary()
        summary.add(alertname: "ContainerDown", severity: "critical", reason: "host offline", at: NotificationSamples.t0)
        summary.add(alertname: "ContainerDown", severity: "warning", reason: "host offline", at: NotificationSamples.t0)
        summary.add(alertname: "DiskFull", severity: nil, reason: "host offline", at: NotificationSamples.t0)
        let back = HostTransition(
            host: "vps", from: .checking, to: .online, at: NotificationSamples.t0.adding(seconds: 5400), error: nil, consecutiveFailures: 0,
            lastSuccessAt: nil)
        let body = DiscordNotification.hostRecovered(back, offlineSince: NotificationSamples.t0, suppressed: summary).jsonBody(username: nil)
        let fields = try #require(DiscordBodyCheck.embed(body)?["fields"] as? [[String: Any]])
        let values = Dictionary(uniqueKeysWithValues: fields.map { ($0["name"] as! String, $0["value"] as! String) })
        #expect(values["Offline for"] == "1h30m")
        #expect(values["Alerts suppressed"] == "3 (1 critical, 1 warning, 1 other)")
        #expect(values["Suppressed alerts"] == "ContainerDown ×2, DiskFull")
    }

    @Test func maintenanceEndedShowsDurationAndSuppressedCount() throws {
        let window = MaintenanceWindow(
            id: 3, host: nil, reason: "upgrade", author: "ops", startsAt: NotificationSamples.t0,
            endedAt: NotificationSamples.t0.adding(seconds: 2700), suppressedCount: 41)
        let body = DiscordNotification.maintenanceEnded(window, at: NotificationSamples.t0.adding(seconds: 9000)).jsonBody(username: nil)
        let fields = try #require(DiscordBodyCheck.embed(body)?["fields"] as? [[String: Any]])
        #expect(fields.contains { $0["name"] as? String == "Duration" && $0["value"] as? String == "45m" })
        #expect(fields.contains { $0["name"] as? String == "Alerts suppressed" && $0["value"] as? String == "41" })
    }

    @Test func aRunsSuppressionsBecomeOneMessageAndNoneBecomeNone() {
        var summary = SuppressionSummary()
        #expect(DiscordNotification.suppressionSummary(summary, runID: "r", at: NotificationSamples.t0) == nil)
        for n in 0..<500 { summary.add(alertname: "Alert\(n % 40)", severity: "warning", reason: "maintenance", at: NotificationSamples.t0) }
        let message = DiscordNotification.suppressionSummary(summary, runID: "r", at: NotificationSamples.t0)
        #expect(message?.dedupKey == "suppressions:r")
        #expect(message?.message.embed.title == "🔕 500 alerts suppressed")
        #expect(DiscordBodyCheck.violations(message!.jsonBody(username: nil)) == [])
        #expect(summary.alertNamesLine(limit: 2).hasSuffix("… and 38 more"))
    }

    @Test func triageOutcomesOnlyCountWhenSuppressed() {
        var summary = SuppressionSummary()
        let key = AlertKey(alertname: "A", instance: "x")
        let occurrence = OccurrenceKey(fingerprint: "f", startsAt: NotificationSamples.t0)
        summary.add(
            TriageOutcome(decision: .suppressedMaintenance(windowID: 1), alertKey: key, occurrence: occurrence, status: .firing),
            severity: "critical", at: NotificationSamples.t0)
        summary.add(
            TriageOutcome(decision: .actionable, alertKey: key, occurrence: occurrence, status: .firing), severity: "critical",
            at: NotificationSamples.t0)
        #expect(summary.total == 1)
        #expect(summary.byReason == ["maintenance": 1])
    }

    @Test func commandBlocksCannotBeClosedByTheirContent() throws {
        let notice = RemediationNotice(
            remediationKey: "k", alertKey: "A/x", occurrence: "o", action: "a", output: "```\n@everyone\n```", at: NotificationSamples.t0)
        let body = DiscordNotification.failed(notice).jsonBody(username: nil)
        let fields = try #require(DiscordBodyCheck.embed(body)?["fields"] as? [[String: Any]])
        let output = try #require(fields.first { $0["name"] as? String == "Output" }?["value"] as? String)
        #expect(output.hasPrefix("```\n") && output.hasSuffix("\n```"))
        #expect(output.dropFirst(4).dropLast(4).contains("```") == false)
    }
}
