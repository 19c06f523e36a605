import Foundation

extension WeeklyReport {
    /// The report as one self-contained HTML page: inline CSS, SVG charts drawn here, no
    /// script and no external resource (the Content-Security-Policy forbids loading any).
    /// Light and dark colours follow the reader's `prefers-color-scheme`; the layout folds
    /// to one column at phone width. Every text from the store is escaped.
    public var html: String {
        typealias F = ReportFormat
        let t = totals
        var body = ""
        body += "<header><h1>Weekly report <span class=\"period\">\(esc(period.label))</span></h1>"
        body +=
            "<p class=\"sub\">\(esc(day(period.since))) – \(esc(day(period.until.adding(seconds: -1)))) · days in \(esc(period.timeZone)) · generated \(esc(generatedAt.displayText))</p>"
        let sourceClass = { if case .localFallback = source { return "note warn" } else { return "note" } }()
        body += "<p class=\"\(sourceClass)\">\(esc(source.note.prefix(1).uppercased() + source.note.dropFirst())).</p></header>"

        body += "<section class=\"kpis\">"
        body += kpi("Attempts", F.count(t.attempts), "\(F.count(t.successes)) ok · \(F.count(t.failures)) failed")
        body += kpi("Success rate", F.percent(t.successRate), "\(F.count(t.escalations)) escalated")
        body += kpi("Mean time to resolve", F.duration(meanResolveSeconds), "p90 \(F.duration(p90ResolveSeconds)) · \(F.count(resolved)) resolved")
        body += kpi(
            "After a remediation", F.duration(remediatedMeanResolveSeconds),
            "p90 \(F.duration(remediatedP90ResolveSeconds)) · \(F.count(remediatedResolved)) resolved")
        body += kpi(
            "LLM", "\(F.count(t.llmCalls)) calls",
            "\(F.count(t.tokensIn + t.tokensOut)) tokens · \(F.usd(t.costUSD)) · \(F.count(t.llmErrors)) errors")
        body += kpi("Saved by patterns", F.usd(t.savedUSD), "\(F.count(t.tier1)) tier-1 fixes")
        body += kpi("Alert events", F.count(alertEvents), decisions.prefix(2).map { "\($0.decision) \(F.count($0.events))" }.joined(separator: " · "))
        body += "</section>"

        body += "<section class=\"grid\">"
        body += card("Outcomes per day", dailyChart() + legend([("ok", "succeeded"), ("bad", "failed"), ("warn", "escalated"), ("muted", "other")]))
        body += card("Tier share", tierChart())
        body += "</section>"

        body += "<section class=\"grid\">"
        body += card("Top alerts by occurrences", rankedTable(Self.byOccurrences(topAlerts), first: "Alert key"))
        body += card("Top alerts by time firing", rankedTable(Self.byFiringTime(topAlerts), first: "Alert key"))
        body += card("Top hosts by occurrences", rankedTable(Self.byOccurrences(topHosts), first: "Host"))
        body += card("Top hosts by time firing", rankedTable(Self.byFiringTime(topHosts), first: "Host"))
        body += "</section>"

        body += card("Host downtime", downtimeChart() + downtimeTable())

        body += "<section class=\"grid\">"
        body += card(
            "Patterns",
            table(
                ["Event", "Count"], ["learned", "promoted", "demoted", "disabled", "enabled"].map { [$0, F.count(patternEvents[$0] ?? 0)] },
                numeric: [1]))
        body += card("Alerts by decision", table(["Decision", "Events"], decisions.map { [$0.decision, F.count($0.events)] }, numeric: [1]))
        body += "</section>"

        body += card(
            "Failure signatures (≥ 2 failures)",
            table(
                ["Alert key", "Commands", "Failures"], failureSignatures.map { [$0.alertKey, $0.commands, F.count($0.failures)] }, numeric: [2],
                code: [1]))
        body += card(
            "Chronic alerts (firing on ≥ \(period.chronicMinimumDays) of \(period.dayCount) days)",
            table(["Alert key", "Days"], chronic.map { [$0.alertKey, String($0.days)] }, numeric: [1]))
        body += card(
            "Maintenance windows",
            table(
                ["Host", "Reason", "From", "To", "Suppressed", "Alerts held back"],
                windows.map {
                    [
                        $0.host ?? "all hosts", $0.reason, minute($0.started), $0.ended.map(minute) ?? "open", F.count($0.suppressed),
                        $0.suppressedAlerts.map { "\($0.alertKey) ×\($0.events)" }.joined(separator: ", "),
                    ]
                },
                numeric: [4]))
        if let journal {
            body += card(
                "Journal",
                table(
                    ["Queued", "Drained", "Flushes", "Deepest backlog", "Longest degraded"],
                    [
                        [
                            F.count(journal.queued), F.count(journal.drained), F.count(journal.flushes), F.count(journal.deepest),
                            F.duration(journal.longestDegradedSeconds),
                        ]
                    ],
                    numeric: [0, 1, 2, 3, 4]))
        }
        return """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta name="color-scheme" content="light dark">
            <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
            <title>jarvis weekly report \(esc(period.label))</title>
            <style>\(Self.css)</style>
            </head>
            <body>
            <main>
            \(body)
            <footer>jarvis · \(esc(period.since.displayText)) … \(esc(period.until.displayText))</footer>
            </main>
            </body>
            </html>

            """
    }

    static let css = """
        :root{--bg:#f6f7f9;--card:#fff;--fg:#1b1f24;--muted:#687080;--line:#e3e6ea;--ok:#2e9e5b;--bad:#d64545;--warn:#e0a100;--grey:#a9b0ba;\
        --t1:#3b7dd8;--t2:#8a63d2;--t3:#d2691e;--down:#d64545;--accent:#3b7dd8}
        @media (prefers-color-scheme: dark){:root{--bg:#111418;--card:#1b2027;--fg:#e6e9ee;--muted:#9aa3ae;--line:#2c333c;--ok:#3fbf73;--bad:#f06262;\
        --warn:#f0b429;--grey:#5d6673;--t1:#5b9bf0;--t2:#a585ec;--t3:#f0873a;--down:#f06262;--accent:#5b9bf0}}
        *{box-sizing:border-box}
        body{margin:0;background:var(--bg);color:var(--fg);font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif}
        main{max-width:1180px;margin:0 auto;padding:24px 20px 40px}
        header h1{margin:0 0 4px;font-size:26px;font-weight:650}
        header .period{color:var(--accent)}
        .sub{margin:0;color:var(--muted);font-size:13px}
        .note{margin:10px 0 18px;padding:8px 12px;border-radius:8px;background:var(--card);border:1px solid var(--line);font-size:13px}
        .note.warn{border-color:var(--warn);background:color-mix(in srgb,var(--warn) 14%,var(--card))}
        .kpis{display:grid;grid-template-columns:repeat(auto-fit,minmax(165px,1fr));gap:12px;margin-bottom:12px}
        .kpi{background:var(--card);border:1px solid var(--line);border-radius:12px;padding:12px 14px}
        .kpi .label{color:var(--muted);font-size:12px;text-transform:uppercase;letter-spacing:.04em}
        .kpi .value{font-size:24px;font-weight:650;margin:2px 0;font-variant-numeric:tabular-nums}
        .kpi .detail{color:var(--muted);font-size:12px}
        .grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(420px,1fr));gap:12px}
        .card{background:var(--card);border:1px solid var(--line);border-radius:12px;padding:14px 16px;margin-bottom:12px;min-width:0}
        .card h2{font-size:15px;margin:0 0 10px;font-weight:620}
        .scroll{overflow-x:auto}
        table{width:100%;border-collapse:collapse;font-size:13px}
        th,td{text-align:left;padding:5px 8px;border-bottom:1px solid var(--line);vertical-align:top}
        th{color:var(--muted);font-weight:560;font-size:12px}
        td{overflow-wrap:anywhere}
        td.num,th.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
        td code{font:12px/1.4 ui-monospace,"DejaVu Sans Mono",monospace;overflow-wrap:anywhere}
        .empty{color:var(--muted);font-size:13px;margin:4px 0}
        svg{display:block;width:100%;height:auto}
        svg text{fill:var(--muted);font:11px system-ui,"DejaVu Sans",sans-serif}
        svg .axis{stroke:var(--line)}
        .ok{fill:var(--ok);background:var(--ok)}.bad{fill:var(--bad);background:var(--bad)}.warn{fill:var(--warn);background:var(--warn)}
        .muted{fill:var(--grey);background:var(--grey)}.t1{fill:var(--t1);background:var(--t1)}.t2{fill:var(--t2);background:var(--t2)}
        .t3{fill:var(--t3);background:var(--t3)}.down{fill:var(--down)}.lane{fill:var(--line);opacity:.55}
        .legend{display:flex;flex-wrap:wrap;gap:4px 14px;margin-top:8px;font-size:12px;color:var(--muted)}
        .legend i,i.sw{display:inline-block;width:10px;height:10px;border-radius:3px;margin-right:6px;vertical-align:-1px}
        footer{color:var(--muted);font-size:12px;margin-top:18px;text-align:center}
        @media (max-width:600px){main{padding:16px 10px 28px}header h1{font-size:21px}.grid{grid-template-columns:minmax(0,1fr)}\
        .kpis{grid-template-columns:repeat(2,minmax(0,1fr))}.kpi .value{font-size:20px}th,td{padding:4px 5px}}
        """

    private func esc(_ text: some StringProtocol) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for character in text.unicodeScalars {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default:
                // Control characters other than tab and newline are not allowed in XML (SVG).
                if character.value < 0x20 && character != "\t" && character != "\n" { out += " " } else { out.unicodeScalars.append(character) }
            }
        }
        return out
    }

    private func day(_ time: Timestamp) -> String { String(time.rfc3339.prefix(10)) }
    private func minute(_ time: Timestamp) -> String { String(time.rfc3339.prefix(16)).replacingOccurrences(of: "T", with: " ") + "Z" }

    private func kpi(_ label: String, _ value: String, _ detail: String) -> String {
        "<div class=\"kpi\"><div class=\"label\">\(esc(label))</div><div class=\"value\">\(esc(value))</div><div class=\"detail\">\(esc(detail))</div></div>"
    }

    private func card(_ title: String, _ content: String) -> String {
        "<section class=\"card\"><h2>\(esc(title))</h2>\(content)</section>"
    }

    private func legend(_ items: [(String, String)]) -> String {
        "<div class=\"legend\">" + items.map { "<span><i class=\"\($0.0)\"></i>\(esc($0.1))</span>" }.joined() + "</div>"
    }

    private func table(_ header: [String], _ rows: [[String]], numeric: Set<Int> = [], code: Set<Int> = []) -> String {
        guard !rows.isEmpty else { return "<p class=\"empty\">None in this period.</p>" }
        var out = "<div class=\"scroll\"><table><thead><tr>"
        for (index, title) in header.enumerated() { out += "<th\(numeric.contains(index) ? " class=\"num\"" : "")>\(esc(title))</th>" }
        out += "</tr></thead><tbody>"
        for row in rows {
            out += "<tr>"
            for (index, cell) in row.enumerated() {
                let text = code.contains(index) ? "<code>\(esc(cell))</code>" : esc(cell)
                out += "<td\(numeric.contains(index) ? " class=\"num\"" : "")>\(text)</td>"
            }
            out += "</tr>"
        }
        return out + "</tbody></table></div>"
    }

    private func rankedTable(_ rows: [Ranked], first: String) -> String {
        table(
            ["#", first, "Occurrences", "Firing"],
            rows.enumerated().map {
                [String($0.offset + 1), $0.element.name, ReportFormat.count($0.element.occurrences), ReportFormat.duration($0.element.firingSeconds)]
            },
            numeric: [0, 2, 3])
    }

    private func number(_ value: Double) -> String { String(format: "%.1f", value) }

    /// Stacked bars, one per day: succeeded, failed, escalated, other.
    private func dailyChart() -> String {
        let width = 520.0
        let height = 230.0
        let left = 34.0
        let bottom = 28.0
        let top = 10.0
        let plotHeight = height - bottom - top
        let maximum = max(1, days.map(\.outcomes.attempts).max() ?? 0)
        let step = niceStep(Double(maximum))
        let scaleTop = max(step, (Double(maximum) / step).rounded(.up) * step)
        var svg =
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\" aria-label=\"Remediation outcomes per day\">"
        var tick = 0.0
        while tick <= scaleTop + 0.001 {
            let y = top + plotHeight - tick / scaleTop * plotHeight
            svg += "<line class=\"axis\" x1=\"\(number(left))\" y1=\"\(number(y))\" x2=\"\(number(width))\" y2=\"\(number(y))\"/>"
            svg += "<text x=\"\(number(left - 6))\" y=\"\(number(y + 4))\" text-anchor=\"end\">\(Int(tick))</text>"
            tick += step
        }
        let count = max(1, days.count)
        let slot = (width - left) / Double(count)
        let barWidth = min(56, slot * 0.62)
        for (index, day) in days.enumerated() {
            let x = left + slot * Double(index) + (slot - barWidth) / 2
            var y = top + plotHeight
            let o = day.outcomes
            for (value, style, name) in [
                (o.successes, "ok", "succeeded"), (o.failures, "bad", "failed"), (o.escalations, "warn", "escalated"), (o.other, "muted", "other"),
            ] where value > 0 {
                let h = Double(value) / scaleTop * plotHeight
                y -= h
                svg +=
                    "<rect class=\"\(style)\" x=\"\(number(x))\" y=\"\(number(y))\" width=\"\(number(barWidth))\" height=\"\(number(h))\" rx=\"2\"><title>\(esc(day.date)): \(value) \(name)</title></rect>"
            }
            let label = String(day.date.dropFirst(5))
            svg += "<text x=\"\(number(x + barWidth / 2))\" y=\"\(number(height - 10))\" text-anchor=\"middle\">\(esc(label))</text>"
        }
        if days.allSatisfy({ $0.outcomes.attempts == 0 }) {
            svg +=
                "<text x=\"\(number((width + left) / 2))\" y=\"\(number(top + plotHeight / 2))\" text-anchor=\"middle\">no remediation attempts</text>"
        }
        return svg + "</svg>"
    }

    /// A round step for an axis up to `maximum` (1, 2, 5 × 10ⁿ, about four ticks).
    private func niceStep(_ maximum: Double) -> Double {
        let raw = max(1, maximum / 4)
        let magnitude = pow(10, floor(log10(raw)))
        for factor in [1.0, 2.0, 5.0, 10.0] where factor * magnitude >= raw { return max(1, factor * magnitude) }
        return max(1, 10 * magnitude)
    }

    /// One bar split by tier, with counts and shares.
    private func tierChart() -> String {
        let t = totals
        let tiers = [
            (t.tier1, "t1", "Tier 1 · learned pattern"), (t.tier2, "t2", "Tier 2 · pattern as hint"), (t.tier3, "t3", "Tier 3 · LLM diagnosis"),
        ]
        let total = tiers.reduce(0) { $0 + $1.0 }
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 400 40\" role=\"img\" aria-label=\"Share of remediation tiers\">"
        if total == 0 {
            svg +=
                "<rect class=\"lane\" x=\"0\" y=\"6\" width=\"400\" height=\"28\" rx=\"6\"/><text x=\"200\" y=\"24\" text-anchor=\"middle\">no attempts</text>"
        } else {
            var x = 0.0
            for (value, style, name) in tiers where value > 0 {
                let w = Double(value) / Double(total) * 400
                svg +=
                    "<rect class=\"\(style)\" x=\"\(number(x))\" y=\"6\" width=\"\(number(w))\" height=\"28\"><title>\(esc(name)): \(value)</title></rect>"
                x += w
            }
        }
        svg += "</svg>"
        var rows = ""
        for (value, style, name) in tiers {
            let share = total > 0 ? ReportFormat.percent(Double(value) / Double(total)) : "—"
            rows +=
                "<tr><td><i class=\"sw \(style)\"></i>\(esc(name))</td><td class=\"num\">\(ReportFormat.count(value))</td><td class=\"num\">\(share)</td></tr>"
        }
        let llm =
            "LLM: \(ReportFormat.count(t.llmCalls)) calls, \(ReportFormat.usd(t.costUSD)); tier-1 fixes saved about \(ReportFormat.usd(t.savedUSD))."
        return svg + "<div class=\"scroll\"><table><tbody>\(rows)</tbody></table></div><p class=\"empty\">\(esc(llm))</p>"
    }

    /// One lane per host across the period, a red block per time it was down.
    private func downtimeChart() -> String {
        let hosts = downtimeByHost.map(\.host)
        guard !hosts.isEmpty else { return "<p class=\"empty\">No host was down in this period.</p>" }
        let width = 1000.0
        let left = 120.0
        let lane = 24.0
        let top = 6.0
        let height = top + lane * Double(hosts.count) + 22
        let span = max(1, period.until.seconds(since: period.since))
        func x(_ time: Timestamp) -> Double { left + max(0, min(1, time.seconds(since: period.since) / span)) * (width - left - 4) }
        var svg =
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\" aria-label=\"Host downtime timeline\">"
        for (index, bound) in period.bounds.enumerated() {
            let px = x(bound)
            svg += "<line class=\"axis\" x1=\"\(number(px))\" y1=\"\(number(top))\" x2=\"\(number(px))\" y2=\"\(number(height - 18))\"/>"
            if index < period.dayLabels.count && index < period.bounds.count - 1 {
                let next = x(period.bounds[index + 1])
                svg +=
                    "<text x=\"\(number((px + next) / 2))\" y=\"\(number(height - 5))\" text-anchor=\"middle\">\(esc(String(period.dayLabels[index].dropFirst(5))))</text>"
            }
        }
        for (row, host) in hosts.enumerated() {
            let y = top + lane * Double(row)
            let name = host.count > 16 ? String(host.prefix(15)) + "…" : host
            svg += "<text x=\"\(number(left - 8))\" y=\"\(number(y + 15))\" text-anchor=\"end\">\(esc(name))</text>"
            svg += "<rect class=\"lane\" x=\"\(number(left))\" y=\"\(number(y + 4))\" width=\"\(number(width - left - 4))\" height=\"14\" rx=\"3\"/>"
            for episode in downtime where episode.host == host {
                let start = x(max(episode.started, period.since))
                let end = x(min(episode.ended ?? period.until, period.until))
                svg +=
                    "<rect class=\"down\" x=\"\(number(start))\" y=\"\(number(y + 4))\" width=\"\(number(max(2, end - start)))\" height=\"14\" rx=\"3\">"
                svg += "<title>\(esc(host)): down \(esc(minute(episode.started))) – \(esc(episode.ended.map(minute) ?? "still down"))</title></rect>"
            }
        }
        return svg + "</svg>"
    }

    private func downtimeTable() -> String {
        guard !downtime.isEmpty else { return "" }
        return table(
            ["Host", "Down in period", "Episodes"], downtimeByHost.map { [$0.host, ReportFormat.duration($0.seconds), String($0.episodes)] },
            numeric: [1, 2])
    }
}
