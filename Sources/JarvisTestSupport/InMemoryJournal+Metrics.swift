import JarvisCore

/// The running totals the metrics file shows, counted as SQLite's `storeCounters` counts them.
extension InMemoryJournal: MetricsReads {
    public func storeCounters() throws -> StoreCounters {
        read { contents in
            var counters = StoreCounters()
            for (_, event) in contents.events { counters.alertsByDecision[event.decision?.kind ?? "unknown", default: 0] += 1 }
            var attempts: [String: (tier: Int, outcome: String, count: Int)] = [:]
            for record in contents.remediations {
                attempts["\(record.tier) \(record.outcome.rawValue)", default: (record.tier, record.outcome.rawValue, 0)].count += 1
            }
            counters.remediations = attempts.values.sorted { ($0.tier, $0.outcome) < ($1.tier, $1.outcome) }
            for record in contents.remediations {
                let llmFailed = record.error?.hasPrefix("LLM diagnosis failed") ?? false
                if record.tier >= 2 && (record.tokensIn + record.tokensOut > 0 || llmFailed) { counters.llmCalls += 1 }
                if llmFailed { counters.llmErrors += 1 }
                counters.tokensIn += record.tokensIn
                counters.tokensOut += record.tokensOut
                counters.costUSD += record.costUSD
            }
            return counters
        }
    }
}
