import JarvisCore
import Testing

@Suite struct TriageDurationParserTests {
    @Test(arguments: [
        ("2h", Int64(7200)), ("90m", 5400), ("1h30m", 5400), ("45s", 45), ("1d", 86_400), ("1d2h3m4s", 93_784), (" 2h ", 7200),
        ("0h5m", 300), ("120s", 120),
    ])
    func parsesOperatorDurations(_ text: String, _ seconds: Int64) throws {
        #expect(try DurationParser.parse(text) == seconds)
    }

    @Test(arguments: [
        ("", "empty"),
        ("   ", "empty"),
        ("90", "has no unit"),
        ("h", "no number"),
        ("5x", "unknown unit \"x\""),
        ("2H", "unknown unit \"H\""),
        ("30m1h", "largest to smallest"),
        ("1h1h", "appears twice"),
        ("-5m", "signs"),
        ("1.5h", "fractions"),
        ("1 h", "spaces"),
        ("0s", "longer than zero"),
        ("0h0m", "longer than zero"),
        ("99999999999999999999d", "too large"),
        ("999999999999999d", "too large"),
    ])
    func rejectsMalformedDurationsWithAClearReason(_ text: String, _ fragment: String) {
        do {
            let value = try DurationParser.parse(text)
            Issue.record("\"\(text)\" parsed as \(value)")
        } catch let error as DurationParser.ParseError {
            #expect(error.input == text)
            #expect(error.reason.contains(fragment), "\(error)")
            #expect(error.description.hasPrefix("invalid duration \"\(text)\": "))
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    @Test(arguments: [
        (0.0, "0s"), (0.4, "0s"), (-5, "0s"), (45, "45s"), (59.6, "1m"), (90, "1m30s"), (5400, "1h30m"), (86_400, "1d"),
        (93_784, "1d2h3m4s"), (7200, "2h"),
    ])
    func formatsDurationsLargestUnitFirst(_ seconds: Double, _ text: String) {
        #expect(DurationParser.format(seconds: seconds) == text)
    }

    @Test(arguments: [1, 59, 60, 61, 3599, 3600, 5400, 86_399, 86_400, 1_000_000] as [Int64])
    func formatAndParseRoundTrip(_ seconds: Int64) throws {
        #expect(try DurationParser.parse(DurationParser.format(seconds: Double(seconds))) == seconds)
    }
}
