/// Parses and prints the short durations operators type, such as `2h`, `90m`, `1h30m`,
/// `45s` and `1d` (for `jarvis maintenance start --for …`).
///
/// A duration is one or more `<digits><unit>` parts with units `d` (86400 s), `h`, `m` and
/// `s`, largest unit first, each unit at most once, with no spaces, signs or fractions.
/// The total must be positive.
public enum DurationParser {
    /// Why a duration was not accepted; `description` is one line naming the input:
    /// `invalid duration "1x": unknown unit "x" (use d, h, m or s)`.
    public typealias ParseError = InputProblem<DurationInput>

    private static let units: [(symbol: Character, seconds: Int64)] = [("d", 86_400), ("h", 3600), ("m", 60), ("s", 1)]

    /// Parses `text` into whole seconds. Leading and trailing whitespace is ignored.
    /// - Parameter text: e.g. `1h30m`.
    /// - Returns: the duration in seconds, always positive.
    /// - Throws: `DurationParser.ParseError` for empty text, a number without a unit, a unit
    ///   without a number, an unknown unit, units out of order or repeated, a zero total or
    ///   an overflow.
    public static func parse(_ text: String) throws -> Int64 {
        let trimmed = text.trimmingWhitespace()
        func fail(_ reason: String) -> ParseError { ParseError(input: text, reason: reason) }
        guard !trimmed.isEmpty else { throw fail("it is empty (examples: 2h, 90m, 1h30m, 45s, 1d)") }
        var total: Int64 = 0
        var lastUnitIndex = -1
        var digits = ""
        for character in trimmed {
            if character.isASCII, character.isWholeNumber {
                digits.append(character)
                continue
            }
            if character == "-" || character == "+" { throw fail("signs are not allowed") }
            if character == "." || character == "," { throw fail("fractions are not allowed; use a smaller unit, e.g. 90m") }
            if character.isWhitespace { throw fail("spaces are not allowed inside a duration") }
            guard let unitIndex = units.firstIndex(where: { $0.symbol == character }) else {
                throw fail("unknown unit \"\(character)\" (use d, h, m or s)")
            }
            guard !digits.isEmpty else { throw fail("unit \"\(character)\" has no number before it") }
            guard unitIndex > lastUnitIndex else {
                let reason =
                    unitIndex == lastUnitIndex ? "unit \"\(character)\" appears twice" : "units must go from largest to smallest (d, h, m, s)"
                throw fail(reason)
            }
            guard let value = Int64(digits) else { throw fail("the number \(digits) is too large") }
            let (product, productOverflow) = value.multipliedReportingOverflow(by: units[unitIndex].seconds)
            let (sum, sumOverflow) = total.addingReportingOverflow(product)
            guard !productOverflow, !sumOverflow else { throw fail("the duration is too large") }
            total = sum
            lastUnitIndex = unitIndex
            digits = ""
        }
        guard digits.isEmpty else { throw fail("the number \(digits) has no unit (use d, h, m or s, e.g. \(digits)m)") }
        guard total > 0 else { throw fail("the duration must be longer than zero") }
        return total
    }

    /// Prints `seconds` in the form `parse` reads: `1d2h3m4s`, `90s` as `1m30s`, zero as
    /// `0s`. Rounds to the nearest second; negative values print as `0s`.
    /// - Parameter seconds: a duration in seconds.
    /// - Returns: the shortest text with the largest units first.
    public static func format(seconds: Double) -> String {
        guard seconds.isFinite, seconds >= 0.5 else { return "0s" }
        var remaining = seconds >= Double(Int64.max) ? Int64.max : Int64(seconds.rounded())
        var out = ""
        for unit in units where remaining >= unit.seconds {
            out += "\(remaining / unit.seconds)\(unit.symbol)"
            remaining %= unit.seconds
        }
        return out.isEmpty ? "0s" : out
    }
}

extension String {
    fileprivate func trimmingWhitespace() -> String {
        var scalars = Substring(self)
        while let first = scalars.first, first.isWhitespace { scalars.removeFirst() }
        while let last = scalars.last, last.isWhitespace { scalars.removeLast() }
        return String(scalars)
    }
}

/// A duration as typed, as the subject of a `DurationParser.ParseError`.
public enum DurationInput: RejectedTextKind {
    public static let noun = "duration"
}

extension InputProblem where Kind == DurationInput {
    /// Creates an error for `input`.
    /// - Parameters:
    ///   - input: the rejected text.
    ///   - reason: what is wrong with it.
    public init(input: String, reason: String) { self.init(subject: input, message: reason) }

    /// The text as it was given.
    public var input: String { subject }
}
