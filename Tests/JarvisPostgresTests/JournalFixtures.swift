import JarvisCore

/// Journal entries shaped like the ones ingest writes.
enum JournalFixtures {
    static let receivedAt = Timestamp(seconds: 1_795_914_564)

    /// One `alert_events` row of about 600 bytes of JSON for alert number `n`.
    static func alertEvent(_ n: Int, seq: Int64, status: String = "firing") -> JournalEntry {
        let key = "occ-\(n)-\(status)"
        let startsAt = Timestamp(seconds: 1_795_914_563 + Int64(n), nanoseconds: 278_124_551)
        let json = """
            {"idempotency_key":"\(key)","fingerprint":"f\(n)","sender_fingerprint":"f\(n)","alertname":"ContainerDown",\
            "alert_key":"ContainerDown|host\(n % 7):web-\(n)","status":"\(status)","starts_at":"\(startsAt.rfc3339)","ends_at":null,\
            "labels":{"alertname":"ContainerDown","instance":"host\(n % 7):9100","container":"web-\(n)","severity":"critical","job":"cadvisor"},\
            "annotations":{"summary":"It has not reported for five minutes: \\"dead\\"."},\
            "receiver":"jarvis","group_key":"{}:{alertname=\\"ContainerDown\\"}","external_url":"http://am:9093",\
            "generator_url":"http://prom:9090/graph","source_sha256":"\(String(repeating: "ab", count: 32))",\
            "received_at":"\(receivedAt.rfc3339)","runner":"runner-a"}
            """
        return JournalEntry(seq: seq, table: "alert_events", idempotencyKey: key, json: json, createdAt: receivedAt)
    }

    /// The same alert event as `alertEvent`, carrying its column values (as the journal
    /// reads alert events back), which `apply` copies instead of sending JSON. `receiver`
    /// may hold characters COPY's text format escapes.
    static func alertEventRow(_ n: Int, seq: Int64, status: String = "firing", receiver: String = "jarvis") -> JournalEntry {
        let startsAt = Timestamp(seconds: 1_795_914_563 + Int64(n), nanoseconds: 278_124_551)
        let values: [String?] = [
            "occ-\(n)-\(status)", "f\(n)", "f\(n)", "ContainerDown", "ContainerDown|host\(n % 7):web-\(n)", status, startsAt.rfc3339, nil,
            #"{"alertname":"ContainerDown","container":"web-\#(n)","instance":"host\#(n % 7):9100","job":"cadvisor","severity":"critical"}"#,
            #"{"summary":"It has not reported for five minutes: \"dead\".\n\tSecond line."}"#,
            receiver, #"{}:{alertname="ContainerDown"}"#, "http://am:9093", "http://prom:9090/graph", String(repeating: "ab", count: 32),
            receivedAt.rfc3339, "runner-a", "actionable", "no rule applies", nil, n % 3 == 0 ? "7" : nil,
            n % 3 == 0 ? "runner-a/maintenance/7" : nil,
        ]
        return JournalEntry(seq: seq, alertEvent: AlertEventRow(values: values), createdAt: receivedAt)
    }

    /// `count` copied alert_events entries for alerts `first…`, seq numbers from `firstSeq`.
    static func alertEventRows(first: Int = 0, count: Int, firstSeq: Int64 = 1) -> [JournalEntry] {
        (0..<count).map { alertEventRow(first + $0, seq: firstSeq + Int64($0)) }
    }

    /// `count` alert_events entries for alerts `first…`, seq numbers from `firstSeq`.
    static func alertEvents(first: Int = 0, count: Int, firstSeq: Int64 = 1) -> [JournalEntry] {
        (0..<count).map { alertEvent(first + $0, seq: firstSeq + Int64($0)) }
    }

    /// One `host_status_log` transition.
    static func hostTransition(_ n: Int, seq: Int64) -> JournalEntry {
        let key = "host-\(n)"
        let json = """
            {"idempotency_key":"\(key)","host":"host\(n)","from_state":"online","to_state":"offline","error":"connect timeout",\
            "consecutive_failures":3,"last_success_at":null,"changed_at":"\(receivedAt.rfc3339)"}
            """
        return JournalEntry(seq: seq, table: "host_status_log", idempotencyKey: key, json: json, createdAt: receivedAt)
    }
}
