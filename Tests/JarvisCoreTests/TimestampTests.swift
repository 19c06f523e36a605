import JarvisCore
import Testing

@Suite struct TimestampTests {
    @Test(arguments: [
        ("2021-03-30T20:17:50.814674209+08:00", "2021-03-30T12:17:50.814674209Z"),
        ("2016-04-07T10:08:52-06:00", "2016-04-07T16:08:52Z"),
        ("2026-11-29T01:09:23.278124551Z", "2026-11-29T01:09:23.278124551Z"),
        ("2023-12-29T10:44:55.492Z", "2023-12-29T10:44:55.492000000Z"),
        ("2024-02-29T23:59:59.1234567891234Z", "2024-02-29T23:59:59.123456789Z"),
        ("1969-12-31T23:59:59.5Z", "1969-12-31T23:59:59.500000000Z"),
        ("2000-01-01t00:00:00z", "2000-01-01T00:00:00Z"),
        ("2000-01-01 00:00:00+00:30", "1999-12-31T23:30:00Z"),
        ("0001-01-01T00:00:00Z", "0001-01-01T00:00:00Z"),
    ])
    func parsesAndPrintsCanonicalUTC(_ input: String, _ canonical: String) throws {
        let stamp = try #require(Timestamp(rfc3339: input))
        #expect(stamp.rfc3339 == canonical)
        #expect(Timestamp(rfc3339: canonical) == stamp)
    }

    @Test(arguments: [
        "", "2021-03-30", "2021-13-01T00:00:00Z", "2021-02-29T00:00:00Z", "2021-01-01T24:00:00Z", "2021-01-01T00:00:00",
        "2021-01-01T00:00:00.Z", "2021-01-01T00:00:00+0800", "2021-01-01T00:00:00Zjunk", "yesterday",
    ])
    func rejectsMalformedTimes(_ input: String) {
        #expect(Timestamp(rfc3339: input) == nil)
    }

    @Test func goZeroIsRecognised() {
        #expect(Timestamp(rfc3339: "0001-01-01T00:00:00Z")?.isGoZero == true)
    }

    @Test func epochArithmetic() {
        #expect(Timestamp(rfc3339: "1970-01-01T00:00:01Z")?.seconds == 1)
        let t = Timestamp(seconds: 100, nanoseconds: 900_000_000)
        #expect(t.adding(seconds: 0.2) == Timestamp(seconds: 101, nanoseconds: 100_000_000))
        #expect(t.adding(seconds: -1) == Timestamp(seconds: 99, nanoseconds: 900_000_000))
        #expect(abs(t.adding(seconds: 299).seconds(since: t) - 299) < 1e-9)
    }

    @Test func nanosecondsOrder() {
        let a = Timestamp(rfc3339: "2021-01-01T00:00:00.000000001Z")!
        let b = Timestamp(rfc3339: "2021-01-01T00:00:00.000000002Z")!
        #expect(a < b)
        #expect(a != b)
    }
}
