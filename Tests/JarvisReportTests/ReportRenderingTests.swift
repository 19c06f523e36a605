import Foundation
import JarvisCore
import JarvisSQLite
import JarvisTestSupport
import Testing

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// The report as people see it: the HTML page in a real headless Chromium, its SVG as XML,
/// and the Discord body against Discord's limits.
@Suite(.serialized, .timeLimit(.minutes(3))) struct ReportRenderingTests {
    let dir: TemporaryDirectory
    let journal: JournalDatabase

    init() throws {
        dir = try TemporaryDirectory()
        journal = try JournalDatabase(path: dir.file("journal.sqlite"))
    }

    func report() throws -> WeeklyReport {
        try WeeklyReport.build(
            period: try ReportFixtures.week(), store: journal, journal: journal, source: .embedded,
            generatedAt: ReportFixtures.at("2026-12-07T08:00:00Z"))
    }

    static let hostile = "<script>alert(1)</script>"

    /// Every `<svg …>…</svg>` of the page.
    static func svgs(_ html: String) -> [String] {
        var result: [String] = []
        var rest = html[...]
        while let start = rest.range(of: "<svg"), let end = rest.range(of: "</svg>", range: start.upperBound..<rest.endIndex) {
            result.append(String(rest[start.lowerBound..<end.upperBound]))
            rest = rest[end.upperBound...]
        }
        return result
    }

    @Test func thePageRendersInChromiumWithNothingFetchedAndAlertTextAsText() throws {
        // Given a week with an alert whose name is markup
        try ReportFixtures.writeWeek(journal)
        let event = ReportFixtures.event(Self.hostile, host: "web1", status: .firing, startsAt: "2026-12-04T09:00:00Z", decision: "actionable")
        _ = try journal.record([event], forward: false, now: ReportFixtures.at("2026-12-04T09:00:01Z"))
        let html = try report().html
        let page = dir.file("report.html")
        try html.write(toFile: page, atomically: true, encoding: .utf8)

        // Then the markup is escaped, there is no script and no external reference
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(!html.lowercased().contains("<script"))
        #expect(!html.contains("src=") && !html.contains("href=") && !html.contains("url("))

        // And every chart is well-formed XML
        let svgs = Self.svgs(html)
        #expect(svgs.count >= 3)
        for svg in svgs {
            let parser = XMLParser(data: Data(svg.utf8))
            #expect(parser.parse(), "SVG is not well-formed: \(parser.parserError.map { "\($0)" } ?? "")")
        }

        // When Chromium renders it (desktop and phone width), logging its network activity
        guard let chromium = try Self.chromium() else { return }
        for (name, size) in [("desktop", "1280,2200"), ("phone", "390,3200")] {
            let shot = dir.file("\(name).png")
            let netlog = dir.file("\(name)-net.json")
            _ = try TestCommand.run(
                chromium, Self.chromiumFlags + ["--screenshot=\(shot)", "--window-size=\(size)", "--log-net-log=\(netlog)", "file://\(page)"],
                check: false)
            // Then a screenshot exists and the page requested nothing
            let attributes = try FileManager.default.attributesOfItem(atPath: shot)
            #expect((attributes[.size] as? Int ?? 0) > 10_000, "\(name) screenshot too small")
            #expect(Self.pageRequests(try String(contentsOfFile: netlog, encoding: .utf8)) == [], "\(name)")
        }
        // (JARVIS_KEEP_REPORT=DIR keeps the page and screenshots, to look at them.)
        if let keep = ProcessInfo.processInfo.environment["JARVIS_KEEP_REPORT"] {
            for name in ["report.html", "desktop.png", "phone.png"] {
                try? FileManager.default.removeItem(atPath: keep + "/" + name)
                try FileManager.default.copyItem(atPath: dir.file(name), toPath: keep + "/" + name)
            }
        }
        // And the rendered DOM shows the alert name as text
        let dom = try TestCommand.run(chromium, Self.chromiumFlags + ["--dump-dom", "file://\(page)"], check: false).stdout
        #expect(dom.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(!dom.lowercased().contains("<script"))
    }

    /// The Chromium to render with; nil (the rest of the test skipped) only off CI: under
    /// `CI=true` a missing Chromium fails the test. `JARVIS_TEST_CHROMIUM` replaces the path
    /// (e.g. with one that does not exist, to prove that).
    static func chromium() throws -> String? {
        let path = ProcessInfo.processInfo.environment["JARVIS_TEST_CHROMIUM"] ?? "/usr/bin/chromium"
        let installed = FileManager.default.isExecutableFile(atPath: path)
        guard ServerGate.runs(whenAvailable: installed) else { return nil }
        try #require(installed, "\(path) is not installed (apt-get install chromium)")
        return path
    }

    /// Headless Chromium that cannot reach anything but loopback: every host name resolves to
    /// nothing and every request goes to a closed local port (the browser's own background
    /// requests included).
    static let chromiumFlags = [
        "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-pings", "--host-resolver-rules=MAP * ~NOTFOUND", "--proxy-server=http://127.0.0.1:9",
    ]

    /// The non-file URLs the page itself asked for, from a Chromium net log: requests whose
    /// network isolation key is the file page (the browser's own requests have none).
    static func pageRequests(_ log: String) -> [String] {
        guard let object = try? JSONSerialization.jsonObject(with: Data(log.utf8)) as? [String: Any],
            let events = object["events"] as? [[String: Any]]
        else { return ["net log unreadable"] }
        return events.compactMap { event -> String? in
            guard let params = event["params"] as? [String: Any], let url = params["url"] as? String, !url.hasPrefix("file:"),
                (params["network_isolation_key"] as? String)?.hasPrefix("file://") == true
            else { return nil }
            return url
        }
    }

    @Test func theNetLogCheckSeesARequestAPageMakes() throws {
        // The check above would miss nothing: a page with one remote image shows it.
        guard let chromium = try Self.chromium() else { return }
        let page = dir.file("remote.html")
        let netlog = dir.file("remote-net.json")
        try #"<html><body><img src="https://example.invalid/x.png">x</body></html>"#.write(toFile: page, atomically: true, encoding: .utf8)
        _ = try TestCommand.run(
            chromium, Self.chromiumFlags + ["--screenshot=\(dir.file("remote.png"))", "--log-net-log=\(netlog)", "file://\(page)"], check: false)
        #expect(Self.pageRequests(try String(contentsOfFile: netlog, encoding: .utf8)) == ["https://example.invalid/x.png"])
    }

    @Test func aWeekOfTenThousandIncidentsFitsOneDiscordEmbedThatLinksNothing() throws {
        // Given 10,000 distinct incidents with long names, and as many failing remediations
        var events: [AlertEvent] = []
        for n in 0..<10_000 {
            let name = "VeryLongAlertNameNumber\(n)_" + String(repeating: "x", count: 80) + "`@everyone"
            let start = ReportFixtures.at("2026-12-01T00:00:00Z").adding(seconds: Double(n * 30))
            events.append(ReportFixtures.event(name, host: "host\(n % 300)", status: .firing, startsAt: start.rfc3339, decision: "actionable"))
        }
        _ = try journal.record(events, forward: false, now: ReportFixtures.at("2026-12-06T00:00:00Z"))
        for n in 0..<2_000 {
            let record = RemediationRecord(
                key: "remediation/x#\(n)", occurrenceKey: "o\(n)", alertKey: "Key\(n % 40)/" + String(repeating: "y", count: 200), alertname: "A",
                host: "h", tier: 3, commandsJSON: ReportFixtures.commandsX,
                intentAt: ReportFixtures.at("2026-12-02T00:00:00Z").adding(seconds: Double(n)),
                outcome: .failed, verification: .failed, tokensIn: 100, tokensOut: 10, costUSD: 0.001)
            _ = try journal.recordIntent(record, forward: false, now: record.intentAt)
        }
        // When the embed is built
        let report = try report()
        #expect(report.alertEvents == 10_000)
        #expect(report.failureSignatures.count == 10)
        let body = report.discordNotification.jsonBody(username: "jarvis")
        // Then Discord accepts it, it pings nobody and links nowhere
        #expect(DiscordBodyCheck.violations(body) == [])
        #expect(DiscordBodyCheck.parse(body) == [])
        #expect(!body.contains("http://") && !body.contains("https://"))
        #expect(report.discordNotification.dedupKey == "weekly-report:2026-W49")
    }

    @Test func theJSONHasTheDocumentedShape() throws {
        try ReportFixtures.writeWeek(journal)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(report().json.utf8)) as? [String: Any])
        #expect(
            Set(object.keys) == [
                "version", "period", "generated_at", "source", "remediation", "resolve", "llm", "daily", "alerts", "top_alerts", "top_hosts",
                "patterns",
                "failure_signatures", "chronic", "downtime", "maintenance", "journal",
            ])
        #expect(object["version"] as? Int == 1)
        let remediation = try #require(object["remediation"] as? [String: Any])
        #expect(remediation["attempts"] as? Int == 5)
        #expect(remediation["success_rate"] as? Double == 0.5)
        let llm = try #require(object["llm"] as? [String: Any])
        #expect(llm["saved_usd"] as? Double == 0.015)
        let daily = try #require(object["daily"] as? [[String: Any]])
        #expect(daily.count == 7)
        #expect((object["period"] as? [String: Any])?["label"] as? String == "2026-W49")
    }

    @Test func prometheusTextEscapesLabelsAndSkipsEmptyFamilies() {
        var text = PrometheusText()
        text.family("jarvis_x_total", "Help with \\ and\nnewline.", .counter, [([("decision", "a\"b\\c\nd")], 3)])
        text.family("jarvis_empty", "Nothing.", .gauge, [])
        text.single("jarvis_y_seconds", "Seconds.", .gauge, 1.5)
        #expect(
            text.text
                == "# HELP jarvis_x_total Help with \\\\ and\\nnewline.\n# TYPE jarvis_x_total counter\njarvis_x_total{decision=\"a\\\"b\\\\c\\nd\"} 3\n"
                + "# HELP jarvis_y_seconds Seconds.\n# TYPE jarvis_y_seconds gauge\njarvis_y_seconds 1.5\n")
    }
}
