import JarvisCore
import JarvisTestSupport
import Testing

private let t0 = Timestamp(seconds: 1_800_000_000)

private func alert(_ labels: [String: String]) -> Alert { Alert(status: .firing, labels: labels, startsAt: t0) }

@Suite struct SymptomFingerprintTests {
    @Test(arguments: [
        // numbers
        ("disk 95", "disk <n>"), ("web-2", "web-<n>"), ("pve2", "pve2"), ("3.14", "<n>"),
        // percentages
        ("95%", "<pct>"), ("used 97.5% of /", "used <pct> of /"),
        // durations
        ("1h30m", "<duration>"), ("250ms", "<duration>"), ("up 3d", "up <duration>"), ("2.5s", "<duration>"),
        // IPv4 and IPv6
        ("10.0.0.12", "<ip>"), ("10.0.0.12:9100", "<ip>:<n>"), ("192.168.1.0/24", "<ip>"), ("fe80::1", "<ip>"), ("2001:db8::2:1", "<ip>"),
        // UUIDs
        ("123e4567-e89b-12d3-a456-426614174000", "<uuid>"), ("job-123e4567-e89b-12d3-a456-426614174000", "job-<uuid>"),
        // hex hashes (8+ hex digits with a digit)
        ("3f2a9c1b7d4e", "<hex>"), ("sha256:9f86d081884c7d65", "sha256:<hex>"), ("deadbeef", "deadbeef"), ("cafe", "cafe"),
        // plain names stay
        ("nginx", "nginx"), ("frigate", "frigate"), ("/var/lib/docker", "/var/lib/docker"), ("wg0", "wg0"),
    ])
    func volatileValuesAreNormalised(value: String, expected: String) {
        #expect(VolatileValues.normalise(value) == expected)
    }

    @Test func partsFollowTheFixedOrderAndSkipAbsentOrEmptyLabels() {
        let fingerprint = SymptomFingerprint(labels: [
            "alertname": "ContainerDown", "container": "nginx", "severity": "warning", "host": "vps", "instance": "vps:9100", "system": "",
            "job": "cadvisor", "filesystem": "/dev/sda1",
        ])
        #expect(
            fingerprint.parts == [
                "alertname=ContainerDown", "job=cadvisor", "severity=warning", "container=nginx", "host=vps", "filesystem=/dev/sda1",
            ])
        #expect(fingerprint.sha256.count == 64)
        #expect(fingerprint.sha256 == SHA256.hex(fingerprint.parts.joined(separator: "\n")))
    }

    @Test func theByteLevelNormalisationAgreesWithTheScalarDefinition() {
        // Random strings over the characters every volatile kind is made of (digits, hex
        // letters, separators, units, non-ASCII), and pieces of each kind glued together.
        var random = SeededRandom(seed: 13)
        let alphabet = Array("0123456789abcdefABCDEFxyz_-.:/%µsmhdwyé ☃")
        let pieces = [
            "10.0.0.12", "fe80::1", "123e4567-e89b-12d3-a456-426614174000", "abcdefab-abcd-abcd-abcd-abcdefabcdef", "3f2a9c1b7d4e", "1h30m",
            "250µs", "2.5s", "97.5%", "web-2", "pve2", "a::b", "µ", "192.168.1.0/24", "x", "-", ":", ".",
        ]
        for round in 0..<20_000 {
            var value = ""
            for _ in 0..<random.next(below: 12) {
                if round % 2 == 0 {
                    value.append(alphabet[random.next(below: alphabet.count)])
                } else {
                    value += pieces[random.next(below: pieces.count)]
                }
            }
            #expect(VolatileValues.normalise(value) == ReferenceVolatileValues.normalise(value), "\(value)")
        }
    }

    @Test func twoOccurrencesDifferingOnlyInVolatileValuesShareAFingerprint() {
        let a = SymptomFingerprint(labels: ["alertname": "DiskSpaceHigh", "device": "10.0.0.5:/export", "host": "nas", "severity": "warning"])
        let b = SymptomFingerprint(labels: ["alertname": "DiskSpaceHigh", "device": "10.0.0.9:/export", "host": "nas", "severity": "warning"])
        let c = SymptomFingerprint(labels: ["alertname": "DiskSpaceHigh", "device": "10.0.0.9:/export", "host": "nas2", "severity": "warning"])
        #expect(a.sha256 == b.sha256)
        #expect(a.sha256 != c.sha256)
    }
}

@Suite struct SymptomSimilarityTests {
    /// A fingerprint with `alertname` and the given labels.
    func symptom(_ labels: [String: String]) -> SymptomFingerprint {
        SymptomFingerprint(labels: labels.merging(["alertname": "A"]) { a, _ in a })
    }

    @Test func identicalSymptomsScoreOne() {
        let s = symptom(["container": "nginx", "host": "vps"])
        #expect(SymptomSimilarity.score(s, s) == 1)
    }

    @Test(arguments: ["container", "system", "remediation_host"])
    func aRequiredPartMissingOnOneSideCapsTheScoreAt0_3(required: String) {
        // Nine of ten parts shared (Jaccard 0.9) but one side lacks the required part.
        var labels: [String: String] = [:]
        for name in SymptomFingerprint.labels where name != required { labels[name] = "v-" + name }
        let without = symptom(labels)
        labels[required] = "x"
        let with = symptom(labels)
        #expect(SymptomSimilarity.score(with, without) == 0.3)
        #expect(SymptomSimilarity.score(without, with) == 0.3)
        #expect(!SymptomSimilarity.matches(with, without))
    }

    @Test func aMissingOptionalPartOnlyLowersTheOverlap() {
        let a = symptom([
            "container": "c", "host": "h", "job": "j", "severity": "s", "service": "x", "device": "d", "category": "k", "filesystem": "f",
            "system": "y",
        ])
        let b = symptom([
            "container": "c", "host": "h", "job": "j", "severity": "s", "service": "x", "device": "d", "category": "k", "filesystem": "f",
            "system": "y", "remediation_host": "r",
        ])
        // remediation_host is required: capped. Without it on both, drop "filesystem" from one.
        #expect(SymptomSimilarity.score(a, b) == 0.3)
        let c = symptom(["container": "c", "host": "h", "job": "j", "severity": "s", "service": "x", "device": "d", "category": "k", "system": "y"])
        #expect(SymptomSimilarity.score(a, c) == 9.0 / 10.0)
    }

    @Test func theGateAdmits0_70AndRefuses0_69() {
        // 7 shared of a union of 10: exactly 0.70.
        let ten = symptom([
            "container": "c", "host": "h", "job": "j", "severity": "s", "service": "x", "device": "d", "category": "k", "filesystem": "f",
            "system": "y",
        ])
        let seven = symptom(["container": "c", "host": "h", "job": "j", "severity": "s", "service": "x", "system": "y"])
        #expect(SymptomSimilarity.score(ten, seven) == 0.7)
        #expect(SymptomSimilarity.matches(ten, seven))
        // 9 shared of a union of 13: 0.6923.
        let eleven = symptom([
            "container": "c", "host": "h", "job": "j", "severity": "s", "service": "x", "device": "d", "category": "k", "filesystem": "f",
            "system": "y", "remediation_host": "r",
        ])
        let other = symptom([
            "container": "c", "host": "h", "job": "j", "severity": "s", "service": "x", "device": "d", "category": "k", "filesystem": "OTHER",
            "system": "y", "remediation_host": "OTHER",
        ])
        let score = SymptomSimilarity.score(eleven, other)
        #expect(score > 0.69 && score < 0.70)
        #expect(!SymptomSimilarity.matches(eleven, other))
        #expect(SymptomSimilarity.gate == 0.70)
    }

    @Test func theIndexAgreesWithTheDefinitionOnRandomSymptoms() {
        var random = SeededRandom(seed: 15)
        let values = ["a", "b"]
        func randomLabels() -> [String: String] {
            var labels = ["alertname": "A"]
            for name in SymptomFingerprint.labels where random.next(below: 3) != 0 { labels[name] = values[random.next(below: 2)] }
            return labels
        }
        var patterns: [LearnedPattern] = []
        for id in 1...300 {
            patterns.append(
                LearnedPattern(
                    id: Int64(id), symptom: SymptomFingerprint(labels: randomLabels()),
                    actions: [ActionProposal(action: "docker.restart", parameters: ["container": "x\(id)"])],
                    createdAt: t0))
        }
        let index = PatternIndex(patterns)
        var matched = 0
        for _ in 0..<200 {
            let labels = randomLabels()
            let query = SymptomFingerprint(labels: labels)
            let expected = Set(patterns.filter { SymptomSimilarity.matches($0.symptom, query) }.map(\.id))
            let found = index.matches(for: alert(labels), now: t0)
            #expect(Set(found.map(\.pattern.id)) == expected)
            for match in found { #expect(abs(match.similarity - SymptomSimilarity.score(match.pattern.symptom, query)) < 1e-12) }
            matched += expected.count
        }
        #expect(matched > 50)  // the comparison is not vacuous
    }

    @Test func theIndexAgreesWithTheDefinitionOnVolatileValuesAndAGivenFingerprint() {
        // Values that normalise (numbers, addresses) and a second alertname: the index reads
        // the alert's labels itself, or takes the fingerprint the caller already has, and both
        // find what scoring every pattern by the definition finds.
        var random = SeededRandom(seed: 16)
        let values = ["web-1", "web-22", "10.0.0.1", "10.0.0.2", "3f2a9c1b7d4e", "9e3b1a2c4f5d"]
        func randomLabels() -> [String: String] {
            var labels = ["alertname": ["A", "B"][random.next(below: 2)]]
            for name in SymptomFingerprint.labels where random.next(below: 3) == 0 { labels[name] = values[random.next(below: values.count)] }
            return labels
        }
        let patterns = (1...400).map { id in
            LearnedPattern(
                id: Int64(id), symptom: SymptomFingerprint(labels: randomLabels()),
                actions: [ActionProposal(action: "docker.restart", parameters: ["container": "x\(id)"])], createdAt: t0)
        }
        let index = PatternIndex(patterns)
        var matched = 0
        for _ in 0..<300 {
            let labels = randomLabels()
            let query = SymptomFingerprint(labels: labels)
            let expected = Set(patterns.filter { $0.alertname == query.alertname && SymptomSimilarity.matches($0.symptom, query) }.map(\.id))
            let fromLabels = index.matches(for: alert(labels), now: t0)
            let fromFingerprint = index.matches(for: alert(labels), fingerprint: query, now: t0)
            #expect(Set(fromLabels.map(\.pattern.id)) == expected)
            #expect(fromFingerprint.map(\.pattern.id) == fromLabels.map(\.pattern.id))
            for match in fromLabels { #expect(abs(match.similarity - SymptomSimilarity.score(match.pattern.symptom, query)) < 1e-12) }
            matched += expected.count
        }
        #expect(matched > 50)  // the comparison is not vacuous
    }

    @Test func disabledPatternsAreNeverMatched() {
        let labels = ["alertname": "A", "container": "c"]
        var pattern = LearnedPattern(id: 1, symptom: SymptomFingerprint(labels: labels), actions: [], createdAt: t0)
        #expect(PatternIndex([pattern]).matches(for: alert(labels), now: t0).count == 1)
        pattern.enabled = false
        #expect(PatternIndex([pattern]).matches(for: alert(labels), now: t0).isEmpty)
    }
}
