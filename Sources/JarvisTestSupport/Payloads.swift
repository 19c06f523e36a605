import Foundation

/// Builds synthetic Alertmanager webhook bodies for volume and crash tests.
public enum SyntheticPayloads {
    /// A firing (or resolved) group of `count` distinct alerts. Alerts are numbered from
    /// `first`, so bodies built with overlapping ranges overlap in alerts, as Alertmanager's
    /// group resends do.
    public static func group(
        first: Int, count: Int, status: String = "firing", startsAt: String = "2026-11-29T01:00:00.123456789Z",
        annotationSize: Int = 120
    ) -> Data {
        let filler = String(repeating: "x", count: annotationSize)
        var alerts: [String] = []
        for n in first..<(first + count) {
            let endsAt = status == "resolved" ? "2026-11-29T02:00:00Z" : "0001-01-01T00:00:00Z"
            alerts.append(
                """
                {"status":"\(status)","labels":{"alertname":"SyntheticAlert","instance":"host\(n % 97):9100","job":"node","severity":"warning","n":"\(n)"},\
                "annotations":{"summary":"synthetic alert \(n)","description":"\(filler)"},"startsAt":"\(startsAt)","endsAt":"\(endsAt)",\
                "generatorURL":"http://prometheus.test/graph","fingerprint":""}
                """)
        }
        let body = """
            {"receiver":"jarvis","status":"\(status)","alerts":[\(alerts.joined(separator: ","))],"groupLabels":{"alertname":"SyntheticAlert"},\
            "commonLabels":{"alertname":"SyntheticAlert"},"commonAnnotations":{},"externalURL":"http://alertmanager.test","version":"4",\
            "groupKey":"{}:{alertname=\\"SyntheticAlert\\"}","truncatedAlerts":0}
            """
        return Data(body.utf8)
    }
}
