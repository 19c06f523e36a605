import JarvisCore
import JarvisPostgres
import JarvisTestSupport
import Testing

extension PostgresTests {
    @Suite struct PatternConfidenceTests {
        @Test func noEvidenceIsOneHalf() {
            #expect(PatternConfidence.calculate(successes: 0, failures: 0, ageDays: 0) == 0.5)
        }

        @Test func freshEvidenceIsThePosteriorMean() {
            #expect(PatternConfidence.calculate(successes: 8, failures: 0, ageDays: 0) == 0.9)
            #expect(PatternConfidence.calculate(successes: 3, failures: 1, ageDays: 0) == 4.0 / 6.0)
            #expect(PatternConfidence.calculate(successes: 0, failures: 4, ageDays: 0) == 1.0 / 6.0)
        }

        @Test func oneHalfLifeHalvesTheDistanceFromOneHalf() {
            let value = PatternConfidence.calculate(successes: 8, failures: 0, ageDays: 30, halfLifeDays: 30)
            #expect(abs(value - 0.7) < 1e-12)
            let older = PatternConfidence.calculate(successes: 8, failures: 0, ageDays: 60, halfLifeDays: 30)
            #expect(abs(older - 0.6) < 1e-12)
        }

        @Test func futureAgesNegativeCountsAndNonPositiveHalfLivesAreClamped() {
            #expect(PatternConfidence.calculate(successes: 8, failures: 0, ageDays: -5) == 0.9)
            #expect(PatternConfidence.calculate(successes: -3, failures: -1, ageDays: 0) == 0.5)
            #expect(PatternConfidence.calculate(successes: 8, failures: 0, ageDays: 100, halfLifeDays: 0) == 0.9)
            #expect(PatternConfidence.calculate(successes: 8, failures: 0, ageDays: 5_000, halfLifeDays: 1) == 0.5)
        }

        @Test func lastUsedAtOverloadMeasuresAgeInDays() {
            let now = Timestamp(seconds: 1_800_000_000)
            let value = PatternConfidence.calculate(successes: 8, failures: 0, lastUsedAt: now.adding(seconds: -30 * 86_400), now: now)
            #expect(abs(value - 0.7) < 1e-12)
            #expect(PatternConfidence.calculate(successes: 8, failures: 0, lastUsedAt: nil, now: now) == 0.9)
        }
    }

    /// The SQL function and the Swift code must agree (docs/behaviour.md, "Learning").
    @Suite struct PatternConfidenceAgreementTests {
        let postgres: TestPostgres

        init() throws {
            postgres = try TestPostgres()
        }

        @Test func sqlFunctionAndSwiftAgreeOverAGrid() throws {
            let connection = try PGConnection(url: postgres.url)
            _ = try PostgresMigrations.migrate(connection)
            let counts = [0, 1, 2, 3, 5, 8, 13, 50, 1000]
            let ages: [Double] = [0, 0.25, 1, 7, 29.5, 30, 90, 365, 999.9, 1000, 3650]
            let halfLives: [Double] = [30, 1, 7.5, 365]
            var grid: [(Int, Int, Double, Double)] = []
            for s in counts { for f in counts { for age in ages { for half in halfLives { grid.append((s, f, age, half)) } } } }
            // One statement per chunk: the server computes every point with the same now().
            var compared = 0
            for chunk in stride(from: 0, to: grid.count, by: 500).map({ grid[$0..<min($0 + 500, grid.count)] }) {
                let values = chunk.map { "(\($0.0), \($0.1), \($0.2), \($0.3))" }.joined(separator: ", ")
                let result = try connection.execute(
                    unsafeSQL: """
                        SELECT s, f, age, half,
                               calculate_pattern_confidence(s, f, CASE WHEN age = 0 THEN NULL ELSE now() - make_interval(secs => age * 86400) END, half)
                        FROM (VALUES \(values)) AS g(s, f, age, half)
                        """)
                for row in 0..<result.rowCount {
                    let s = try #require(try result.int64(row: row, column: 0))
                    let f = try #require(try result.int64(row: row, column: 1))
                    let age = try #require(try result.double(row: row, column: 2))
                    let half = try #require(try result.double(row: row, column: 3))
                    let sql = try #require(try result.double(row: row, column: 4))
                    let swift = PatternConfidence.calculate(successes: Int(s), failures: Int(f), ageDays: age, halfLifeDays: half)
                    #expect(abs(sql - swift) < 1e-9, "s=\(s) f=\(f) age=\(age) half=\(half): SQL \(sql) Swift \(swift)")
                    compared += 1
                }
            }
            #expect(compared == grid.count)
            // Edge cases: NULL and future last use mean age 0, the default half-life is 30 days.
            let edges = try connection.execute(
                unsafeSQL: """
                    SELECT calculate_pattern_confidence(8, 0, NULL),
                           calculate_pattern_confidence(8, 0, now() + interval '3 days'),
                           calculate_pattern_confidence(8, 0, now() - interval '30 days'),
                           calculate_pattern_confidence(NULL, NULL, NULL)
                    """)
            #expect(try edges.double(row: 0, column: 0) == 0.9)
            #expect(try edges.double(row: 0, column: 1) == 0.9)
            #expect(abs(try #require(try edges.double(row: 0, column: 2)) - 0.7) < 1e-9)
            #expect(try edges.double(row: 0, column: 3) == 0.5)
        }
    }
}
