import Testing

@testable import JarvisCore

/// The strings and lookups triage computes for every alert are built by hand for speed
/// (one allocation, no interpolation, no per-alert arrays); these tests hold them to the
/// plain formulas they replaced.
@Suite struct TriageHotPathTests {
    /// RFC 3339 as the code wrote it before the fixed-layout writer: every field padded
    /// with `String`, any year.
    static func referenceRFC3339(_ stamp: Timestamp) -> String {
        let seconds = stamp.seconds
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondOfDay = seconds - days * 86_400
        // Howard Hinnant's civil_from_days.
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yoe + era * 400 + (month <= 2 ? 1 : 0)
        func padded(_ value: Int64, _ width: Int) -> String {
            let digits = String(value)
            return digits.count < width ? String(repeating: "0", count: width - digits.count) + digits : digits
        }
        let time = "\(padded(secondOfDay / 3600, 2)):\(padded(secondOfDay % 3600 / 60, 2)):\(padded(secondOfDay % 60, 2))"
        let fraction = stamp.nanoseconds != 0 ? "." + padded(Int64(stamp.nanoseconds), 9) : ""
        return "\(padded(year, 4))-\(padded(month, 2))-\(padded(day, 2))T\(time)\(fraction)Z"
    }

    /// Instants around the edges the writer must get right: second and day boundaries, the
    /// first and last nanosecond of a second, before the epoch, leap days, and the first
    /// and last second of the fixed 0000…9999 layout and just outside it.
    static let instants: [Timestamp] = {
        var stamps: [Timestamp] = []
        let seconds: [Int64] = [
            0, 1, -1, 59, 60, 86_399, 86_400, -86_400, -86_401, 951_782_400, 1_709_251_199, 1_800_000_000, 1_764_378_563,
            -62_135_596_800,  // 0001-01-01, Go's zero time
            -62_167_219_200, -62_167_219_201,  // 0000-01-01T00:00:00Z and the second before it
            253_402_300_799, 253_402_300_800,  // 9999-12-31T23:59:59Z and the second after it
        ]
        for second in seconds {
            for nanos: Int32 in [0, 1, 10, 123_456_789, 500_000_000, 999_999_999] {
                stamps.append(Timestamp(seconds: second, nanoseconds: nanos))
            }
        }
        return stamps
    }()

    @Test func rfc3339MatchesTheReferenceAroundEveryBoundary() {
        for stamp in Self.instants {
            #expect(stamp.rfc3339 == Self.referenceRFC3339(stamp), "\(stamp.seconds)s \(stamp.nanoseconds)ns")
            #expect(stamp.description == stamp.rfc3339)
        }
    }

    @Test func rfc3339RoundTripsInsideTheFixedLayout() throws {
        for stamp in Self.instants where stamp.seconds >= -62_167_219_200 && stamp.seconds <= 253_402_300_799 {
            let parsed = try #require(Timestamp(rfc3339: stamp.rfc3339))
            #expect(parsed == stamp)
        }
    }

    @Test func theFixedLayoutEndsAtYears0000And9999() {
        #expect(Timestamp(seconds: -62_167_219_200).rfc3339 == "0000-01-01T00:00:00Z")
        #expect(Timestamp(seconds: 253_402_300_799, nanoseconds: 1).rfc3339 == "9999-12-31T23:59:59.000000001Z")
        #expect(Timestamp(seconds: 253_402_300_800).rfc3339 == "10000-01-01T00:00:00Z")
    }

    @Test func occurrenceKeysAreFingerprintAtTimeSlashStatus() {
        for stamp in Self.instants {
            for fingerprint in ["4924976ad7844850", "", "short", "ünïcödé-fingerprint-longer-than-a-small-string"] {
                let key = OccurrenceKey(fingerprint: fingerprint, startsAt: stamp)
                let reference = "\(fingerprint)@\(Self.referenceRFC3339(stamp))"
                #expect(key.description == reference)
                #expect(key.idempotencyKey(status: .firing) == reference + "/firing")
                #expect(key.idempotencyKey(status: .resolved) == reference + "/resolved")
            }
        }
    }

    @Test func outcomesCarryTheSameKeysAsTheAlert() throws {
        var pipeline = TriagePipeline()
        let startsAt = try #require(Timestamp(rfc3339: "2026-11-29T01:09:23.278124551Z"))
        let alert = Alert(status: .firing, labels: ["alertname": "DiskFull", "instance": "db1:9100"], startsAt: startsAt)
        let outcome = pipeline.triage(alert, host: .none, now: startsAt.adding(seconds: 40))
        #expect(outcome.idempotencyKey == "\(alert.fingerprint)@2026-11-29T01:09:23.278124551Z/firing")
        #expect(pipeline.state.processed.keys.sorted() == [outcome.idempotencyKey])
        #expect(pipeline.state.openOccurrences.keys.sorted() == ["\(alert.fingerprint)@2026-11-29T01:09:23.278124551Z"])
        #expect(pipeline.state.flapDetectors.keys.sorted() == ["DiskFull/db1:9100"])
    }

    @Test(arguments: [
        ("ContainerDown", "vps:nginx"), ("", ""), ("A", ""), ("", "b"), ("Ålërt", "hôst:9100"), ("x", String(repeating: "y", count: 40)),
    ])
    func alertKeyDescriptionIsNameSlashInstance(_ alertname: String, _ instance: String) {
        #expect(AlertKey(alertname: alertname, instance: instance).description == "\(alertname)/\(instance)")
    }

    /// `AlertKey(labels:)` as written before the one-pass label reader.
    static func referenceAlertKey(_ labels: [String: String]) -> AlertKey {
        let alertname = labels["alertname"] ?? ""
        if let container = labels["container"], !container.isEmpty {
            let host = labels["host"] ?? labels["remediation_host"] ?? labels["system"] ?? labels["instance"] ?? ""
            return AlertKey(alertname: alertname, instance: "\(host):\(container)")
        } else if let system = labels["system"], !system.isEmpty {
            return AlertKey(alertname: alertname, instance: system)
        } else if let instance = labels["instance"], !instance.isEmpty {
            return AlertKey(alertname: alertname, instance: instance)
        }
        return AlertKey(alertname: alertname, instance: labels["host"] ?? labels["remediation_host"] ?? "")
    }

    /// Label sets over the names the key and the router read, small and (padded with
    /// other labels) past the size where names are looked up instead of walked.
    static let labelSets: [[String: String]] = {
        let names = ["alertname", "container", "host", "remediation_host", "system", "instance"]
        var sets: [[String: String]] = []
        for mask in 0..<(1 << names.count) {
            var labels: [String: String] = [:]
            for (bit, name) in names.enumerated() where mask & (1 << bit) != 0 {
                labels[name] = mask % 3 == 0 && name != "alertname" ? "" : "\(name)-value-\(mask)"
            }
            sets.append(labels)
            var padded = labels
            for extra in 0..<14 { padded["extra_label_\(extra)"] = "x" }
            // Names of the same lengths as the ones read, which must not be taken for them.
            padded["hosts"] = "no"
            padded["alertnamE"] = "no"
            padded["containers"] = "no"
            sets.append(padded)
            var sameLengths = labels
            sameLengths["hos7"] = "no"
            sameLengths["sys7em"] = "no"
            sameLengths["instanc3"] = "no"
            sameLengths["container"] = sameLengths["container"]
            sameLengths["remediation_hos7"] = "no"
            sets.append(sameLengths)
        }
        return sets
    }()

    @Test func alertKeysMatchTheLookupsTheyReplaced() {
        for labels in Self.labelSets {
            #expect(AlertKey(labels: labels) == Self.referenceAlertKey(labels), "\(labels)")
        }
    }

    @Test func routingReadsTheSameLabelsAsLookingThemUp() {
        let inventory = HostInventory(hosts: [
            HostDefinition(name: "host-value-7", address: "127.0.0.1"),
            HostDefinition(name: "x", address: "127.0.0.1", routes: HostRoutes(labels: ["system": ["system-value-48"], "cluster": ["c1"]])),
        ])
        for labels in Self.labelSets {
            var expected = HostRouting.none
            for label in inventory.routingLabelOrder() {
                guard let value = labels[label] else { continue }
                let names = Set(
                    inventory.hosts.filter { host in
                        host.routes.labels[label]?.contains(value) == true || ((label == "host" || label == "remediation_host") && host.name == value)
                            || (label == "instance" && host.name == value)
                    }.map(\.name)
                ).sorted()
                expected = names.count == 1 ? .host(names[0]) : .unroutable(reason: "label \(label)=\"\(value)\" names no host of the inventory")
                break
            }
            #expect(inventory.route(labels: labels) == expected, "\(labels)")
            var clustered = labels
            clustered["cluster"] = "c1"
            if expected == .none { #expect(inventory.route(labels: clustered) == .host("x")) }
        }
    }

    // MARK: Dedup and open occurrences, updated in place

    @Test func aDuplicateLeavesTheProcessedTimeAsItWas() {
        var pipeline = TriagePipeline()
        let alert = Alert(status: .firing, labels: ["alertname": "A", "instance": "h:1"], startsAt: Timestamp(seconds: 1000))
        _ = pipeline.triage(alert, host: .none, now: Timestamp(seconds: 2000))
        let key = alert.occurrence.idempotencyKey(status: .firing)
        #expect(pipeline.triage(alert, host: .none, now: Timestamp(seconds: 2100)).decision == .deduplicated)
        #expect(pipeline.state.processed[key] == Timestamp(seconds: 2000))
        #expect(pipeline.triage(alert, host: .none, now: Timestamp(seconds: 2400)).decision == .actionable)
        #expect(pipeline.state.processed[key] == Timestamp(seconds: 2400))
    }

    @Test func anOpenOccurrenceKeepsItsFirstSighting() {
        var pipeline = TriagePipeline()
        let alert = Alert(status: .firing, labels: ["alertname": "A", "instance": "h:1"], startsAt: Timestamp(seconds: 1000))
        _ = pipeline.triage(alert, host: .none, now: Timestamp(seconds: 2000))
        _ = pipeline.triage(alert, host: .none, now: Timestamp(seconds: 2400))
        let open = pipeline.state.openOccurrences[alert.occurrence.description]
        #expect(
            open
                == OpenOccurrence(
                    occurrence: alert.occurrence.description, alertKey: "A/h:1", startsAt: Timestamp(seconds: 1000),
                    firstSeenAt: Timestamp(seconds: 2000), lastSeenAt: Timestamp(seconds: 2400)))
    }

    // MARK: Routing without per-alert arrays

    @Test func routingWithoutHostsNamesTheStrongestLabel() {
        let inventory = HostInventory(hosts: [])
        #expect(inventory.routingLabelOrder() == HostInventory.routingLabels)
        #expect(
            inventory.route(labels: ["instance": "host3:9100", "alertname": "X"])
                == .unroutable(reason: "label instance=\"host3:9100\" names no host of the inventory"))
        #expect(
            inventory.route(labels: ["host": "ghöst", "instance": "a:1"])
                == .unroutable(reason: "label host=\"ghöst\" names no host of the inventory"))
        #expect(inventory.route(labels: ["alertname": "X"]) == .none)
    }

    @Test func routingLabelOrderFollowsTheHostsWhenTheyChange() {
        var inventory = HostInventory(hosts: [HostDefinition(name: "a", address: "127.0.0.1")])
        #expect(inventory.route(labels: ["cluster": "pgc"]) == .none)
        inventory.hosts.append(HostDefinition(name: "b", address: "127.0.0.1", routes: HostRoutes(labels: ["cluster": ["pgc"]])))
        #expect(inventory.routingLabelOrder() == HostInventory.routingLabels + ["cluster"])
        #expect(inventory.route(labels: ["cluster": "pgc"]) == .host("b"))
        #expect(inventory == HostInventory(hosts: inventory.hosts))
    }

    @Test func aHostMatchedTwiceIsStillOneHost() {
        // The same name listed twice (an invalid inventory, but route must not call it
        // ambiguous, as the set of names it replaced did not).
        let inventory = HostInventory(hosts: [
            HostDefinition(name: "a", address: "127.0.0.1", routes: HostRoutes(instancePrefixes: ["node"])),
            HostDefinition(name: "a", address: "127.0.0.2", routes: HostRoutes(instancePrefixes: ["node1"])),
            HostDefinition(name: "c", address: "127.0.0.3", routes: HostRoutes(instancePrefixes: ["other"])),
        ])
        #expect(inventory.route(labels: ["instance": "node1:9100"]) == .host("a"))
        #expect(inventory.route(labels: ["instance": "other1"]) == .host("c"))
    }

    @Test func severalHostsAreListedSortedOnce() {
        let inventory = HostInventory(hosts: [
            HostDefinition(name: "b", address: "127.0.0.1", routes: HostRoutes(instancePrefixes: ["n"])),
            HostDefinition(name: "a", address: "127.0.0.1", routes: HostRoutes(instancePrefixes: ["n"])),
            HostDefinition(name: "b", address: "127.0.0.2", routes: HostRoutes(instancePrefixes: ["no"])),
        ])
        #expect(inventory.route(labels: ["instance": "node:1"]) == .unroutable(reason: "label instance=\"node:1\" matches several hosts: a, b"))
    }

    // MARK: Maintenance in one pass

    @Test func theCoveringWindowMatchesTheSortedRule() {
        func t(_ s: Int64) -> Timestamp { Timestamp(seconds: 10_000 + s) }
        let windows = [
            MaintenanceWindow(id: 5, host: nil, reason: "r", author: "a", startsAt: t(0)),
            MaintenanceWindow(id: 3, host: "vps", reason: "r", author: "a", startsAt: t(10), endsAt: t(100)),
            MaintenanceWindow(id: 2, host: "vps", reason: "r", author: "a", startsAt: t(10), endsAt: t(50)),
            MaintenanceWindow(id: 9, host: "vps", reason: "r", author: "a", startsAt: t(5), endedAt: t(20)),
            MaintenanceWindow(id: 1, host: nil, reason: "r", author: "a", startsAt: t(0)),
            MaintenanceWindow(id: 7, host: "db", reason: "r", author: "a", startsAt: t(-10)),
            MaintenanceWindow(id: 8, host: nil, reason: "r", author: "a", startsAt: t(-5), endsAt: t(30)),
        ]
        let schedule = MaintenanceSchedule(windows)
        for host in ["vps", "db", "web", nil] as [String?] {
            for second in stride(from: Int64(-20), through: 120, by: 5) {
                let active = schedule.active(at: t(second)).filter { $0.covers(host: host, at: t(second)) }
                let expected = active.first { !$0.isGlobal } ?? active.first
                #expect(schedule.window(covering: host, at: t(second)) == expected, "\(host ?? "nil") at \(second)")
            }
        }
        #expect(schedule.window(covering: "vps", at: t(15))?.id == 9)
        #expect(schedule.window(covering: "vps", at: t(25))?.id == 2)
        #expect(schedule.window(covering: "web", at: t(25))?.id == 8)
        #expect(schedule.window(covering: "web", at: t(40))?.id == 1)
        #expect(MaintenanceSchedule([]).window(covering: "vps", at: t(0)) == nil)
    }
}
