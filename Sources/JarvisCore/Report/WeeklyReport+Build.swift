extension WeeklyReport {
    /// How many rows each "top" table keeps.
    public static let topLimit = 10

    /// Reads every figure of `period`.
    ///
    /// - Parameters:
    ///   - period: The period.
    ///   - store: The store of record (PostgreSQL, or SQLite in embedded mode or as the
    ///     fallback when PostgreSQL is away).
    ///   - journal: The local journal, for its traffic; nil in embedded mode.
    ///   - source: What `store` is, for the report's note.
    ///   - generatedAt: Now.
    /// - Throws: what the databases throw.
    public static func build(
        period: ReportPeriod, store: any ReportDatabase, journal: (any ReportDatabase)?, source: Source, generatedAt: Timestamp
    ) throws -> WeeklyReport {
        var report = WeeklyReport(period: period, generatedAt: generatedAt, source: source)
        let limit = topLimit
        let figures: [ReportQuery] = [
            .dailyOutcomes, .decisions, .resolveTimes, .topFiring, .patternEvents, .failureSignatures, .chronicAlerts, .hostDowntime, .maintenance,
            .maintenanceSuppressed,
        ]
        let results = try store.rows(of: figures, period: period, limit: limit)
        func rows(_ query: ReportQuery) -> [ReportRow] { figures.firstIndex { $0.name == query.name }.map { results[$0] } ?? [] }
        var byDay = [Outcomes](repeating: Outcomes(), count: period.dayCount)
        for row in rows(.dailyOutcomes) {
            var o = Outcomes()
            o.attempts = row.int(1)
            o.successes = row.int(2)
            o.failures = row.int(3)
            o.escalations = row.int(4)
            o.rejections = row.int(5)
            o.tier1 = row.int(6)
            o.tier2 = row.int(7)
            o.tier3 = row.int(8)
            o.tier1Successes = row.int(9)
            o.llmCalls = row.int(10)
            o.llmErrors = row.int(11)
            o.tokensIn = row.int(12)
            o.tokensOut = row.int(13)
            o.costUSD = row.double(14) ?? 0
            report.totals = report.totals + o
            let day = row.int(0)
            if byDay.indices.contains(day) { byDay[day] = byDay[day] + o }
        }
        report.days = zip(period.dayLabels, byDay).map { Day(date: $0, outcomes: $1) }
        report.decisions = rows(.decisions).map { (decision: $0.text(0) ?? "unknown", events: $0.int(1)) }
        if let row = rows(.resolveTimes).first {
            report.resolved = row.int(0)
            report.meanResolveSeconds = row.double(1)
            report.p90ResolveSeconds = row.double(2)
            report.remediatedResolved = row.int(3)
            report.remediatedMeanResolveSeconds = row.double(4)
            report.remediatedP90ResolveSeconds = row.double(5)
        }
        for row in rows(.topFiring) {
            let ranked = Ranked(name: row.text(1) ?? "", occurrences: row.int(2), firingSeconds: row.double(3) ?? 0)
            if row.text(0) == "host" { report.topHosts.append(ranked) } else { report.topAlerts.append(ranked) }
        }
        for row in rows(.patternEvents) {
            report.patternEvents[row.text(0) ?? "", default: 0] += row.int(1)
        }
        report.failureSignatures = rows(.failureSignatures).map {
            FailureSignature(alertKey: $0.text(0) ?? "", commands: commandLines($0.text(1) ?? "[]"), failures: $0.int(2))
        }
        report.chronic = rows(.chronicAlerts).map { Chronic(alertKey: $0.text(0) ?? "", days: $0.int(1)) }
        report.downtime = rows(.hostDowntime).map {
            Downtime(
                host: $0.text(0) ?? "", started: Timestamp(epochSeconds: $0.double(1) ?? 0), ended: $0.double(2).map { Timestamp(epochSeconds: $0) },
                seconds: $0.double(3) ?? 0)
        }
        var suppressed: [String: [Suppressed]] = [:]
        for row in rows(.maintenanceSuppressed) {
            suppressed[row.text(0) ?? "", default: []].append(Suppressed(alertKey: row.text(1) ?? "", events: row.int(2)))
        }
        report.windows = rows(.maintenance).map {
            Window(
                key: $0.text(0) ?? "", host: $0.text(1), reason: $0.text(2) ?? "", started: Timestamp(epochSeconds: $0.double(3) ?? 0),
                ended: $0.double(4).map { Timestamp(epochSeconds: $0) }, suppressed: $0.int(5), suppressedAlerts: suppressed[$0.text(0) ?? ""] ?? [])
        }
        if let journal, let row = try journal.rows(of: .journalActivity, period: period, limit: limit).first {
            report.journal = Journal(
                queued: row.int(0), drained: row.int(1), deepest: row.int(2), flushes: row.int(4), longestDegradedSeconds: row.double(3) ?? 0)
        }
        return report
    }

    /// The stored commands of an attempt (a JSON array of objects with `argv`) as one line:
    /// each command shell-quoted, separated by `; `.
    static func commandLines(_ json: String) -> String {
        guard let value = try? JSONValue(parsing: json), let items = value.arrayValue else { return json }
        let lines = items.map { item -> String in
            let argv = (item["argv"]?.arrayValue ?? item.arrayValue ?? []).compactMap(\.stringValue)
            return (try? ShellQuoting.quote(argv)) ?? argv.joined(separator: " ")
        }
        return lines.isEmpty ? "(no commands)" : lines.joined(separator: "; ")
    }
}
