/// An instant with nanosecond precision, as Alertmanager writes them.
///
/// `Foundation.Date` is a `Double` and cannot hold the nine fraction digits Alertmanager
/// sends, and an occurrence key must not depend on rounding. `Timestamp` keeps whole
/// seconds since the Unix epoch and the nanoseconds apart, parses RFC 3339 with any
/// offset, and prints one canonical UTC form.
public struct Timestamp: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Whole seconds since 1970-01-01T00:00:00Z.
    public var seconds: Int64
    /// Nanoseconds within the second, 0 ..< 1_000_000_000.
    public var nanoseconds: Int32

    public init(seconds: Int64, nanoseconds: Int32 = 0) {
        self.seconds = seconds
        self.nanoseconds = nanoseconds
    }

    /// An instant from seconds since the epoch, rounded to the nanosecond.
    public init(epochSeconds: Double) {
        let whole = epochSeconds.rounded(.down)
        self.seconds = Int64(whole)
        self.nanoseconds = Int32(min(999_999_999, ((epochSeconds - whole) * 1e9).rounded()))
    }

    /// Seconds since the epoch as a `Double` (loses precision below about a microsecond).
    public var epochSeconds: Double { Double(seconds) + Double(nanoseconds) / 1e9 }

    /// The instant `duration` seconds later (negative: earlier).
    public func adding(seconds duration: Double) -> Timestamp {
        let totalNanos = Double(nanoseconds) + duration * 1e9
        let carry = (totalNanos / 1e9).rounded(.down)
        return Timestamp(seconds: seconds + Int64(carry), nanoseconds: Int32(totalNanos - carry * 1e9))
    }

    /// Seconds from `other` to `self`.
    public func seconds(since other: Timestamp) -> Double {
        Double(seconds - other.seconds) + Double(nanoseconds - other.nanoseconds) / 1e9
    }

    public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool {
        (lhs.seconds, lhs.nanoseconds) < (rhs.seconds, rhs.nanoseconds)
    }

    /// Alertmanager's "no value": `0001-01-01T00:00:00Z`.
    public static let goZero = Timestamp(seconds: -62_135_596_800)

    /// True for Go's zero time, which Alertmanager uses for "not set".
    public var isGoZero: Bool { self == .goZero }

    /// Canonical RFC 3339 in UTC: `2026-11-29T01:09:23.278124551Z`, the fraction written with
    /// nine digits when present and left out when zero.
    public var description: String { rfc3339 }

    /// For people: UTC to the second, `2026-12-06 02:10:17Z` (the fraction is dropped, not
    /// rounded). Text output uses this; `--json` and stored rows keep `rfc3339`.
    public var displayText: String {
        var text = Timestamp(seconds: seconds).rfc3339
        if let t = text.firstIndex(of: "T") { text.replaceSubrange(t...t, with: " ") }
        return text
    }

    /// See `description`.
    public var rfc3339: String {
        guard let length = rfc3339FixedLength else { return rfc3339OutsideFixedLayout }
        // Written straight into the string's storage: this runs several times per alert.
        return String(unsafeUninitializedCapacity: length) { buffer in
            writeRFC3339(into: buffer, at: 0)
        }
    }

    /// The length of `rfc3339` in bytes (20, or 30 with a fraction) when the year is in
    /// 0000…9999, the layout `writeRFC3339(into:at:)` writes; nil for other years.
    var rfc3339FixedLength: Int? {
        guard (Timestamp.minimumFixedLayoutSeconds...Timestamp.maximumFixedLayoutSeconds).contains(seconds) else { return nil }
        return nanoseconds != 0 ? 30 : 20
    }

    /// 0000-01-01T00:00:00Z and 9999-12-31T23:59:59Z: the range the fixed layout covers.
    /// (`days(fromCivil: 0, 1, 1) * 86_400` and `days(fromCivil: 9999, 12, 31) * 86_400 + 86_399`,
    /// written out so that no lazy global is touched per call; a test checks them.)
    static let minimumFixedLayoutSeconds: Int64 = -62_167_219_200
    static let maximumFixedLayoutSeconds: Int64 = 253_402_300_799

    /// Writes `rfc3339` at `start` in `buffer`, which must hold `rfc3339FixedLength` bytes
    /// from there (only call it when that is not nil). Lets callers build a key that
    /// contains the timestamp in one allocation.
    /// - Returns: the index after the last byte written.
    func writeRFC3339(into buffer: UnsafeMutableBufferPointer<UInt8>, at start: Int) -> Int {
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondOfDay = seconds - days * 86_400
        let (y, m, d) = Timestamp.civil(fromDays: days)
        var index = start
        func put(_ value: Int64, width: Int) {
            var value = value
            var position = index + width - 1
            while position >= index {
                buffer[position] = UInt8(truncatingIfNeeded: 48 + value % 10)
                value /= 10
                position -= 1
            }
            index += width
        }
        func put(_ byte: Unicode.Scalar) {
            buffer[index] = UInt8(byte.value)
            index += 1
        }
        put(y, width: 4)
        put("-")
        put(Int64(m), width: 2)
        put("-")
        put(Int64(d), width: 2)
        put("T")
        put(secondOfDay / 3600, width: 2)
        put(":")
        put(secondOfDay % 3600 / 60, width: 2)
        put(":")
        put(secondOfDay % 60, width: 2)
        if nanoseconds != 0 {
            put(".")
            put(Int64(nanoseconds), width: 9)
        }
        put("Z")
        return index
    }

    /// `rfc3339` for years outside 0000…9999 (never in practice): no fixed layout to fill.
    private var rfc3339OutsideFixedLayout: String {
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondOfDay = seconds - days * 86_400
        let (y, m, d) = Timestamp.civil(fromDays: days)
        func padded(_ value: Int64, _ width: Int) -> String {
            let digits = String(value)
            return digits.count < width ? String(repeating: "0", count: width - digits.count) + digits : digits
        }
        let time = "\(padded(secondOfDay / 3600, 2)):\(padded(secondOfDay % 3600 / 60, 2)):\(padded(secondOfDay % 60, 2))"
        let fraction = nanoseconds != 0 ? "." + padded(Int64(nanoseconds), 9) : ""
        return "\(padded(y, 4))-\(padded(Int64(m), 2))-\(padded(Int64(d), 2))T\(time)\(fraction)Z"
    }

    /// Parses RFC 3339 (`2021-03-30T20:17:50.814674209+08:00`, `…Z`, 0 to 9 fraction digits;
    /// more digits are truncated to nanoseconds). Returns nil for anything else.
    public init?(rfc3339 text: some StringProtocol) {
        var text = String(text)
        guard let stamp = text.withUTF8({ Timestamp(rfc3339UTF8: $0) }) else { return nil }
        self = stamp
    }

    /// `init?(rfc3339:)` over UTF-8 bytes, for decoders that have not built a `String`.
    init?(rfc3339UTF8 bytes: UnsafeBufferPointer<UInt8>) {
        // Tolerate a lower-case t and a space separator, as RFC 3339 permits (only index 10
        // is ever compared with "T").
        guard bytes.count >= 20, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
            bytes[10] == UInt8(ascii: "T") || bytes[10] == UInt8(ascii: "t") || bytes[10] == UInt8(ascii: " "),
            bytes[13] == UInt8(ascii: ":"), bytes[16] == UInt8(ascii: ":")
        else { return nil }
        func number(_ range: Range<Int>) -> Int64? {
            var value: Int64 = 0
            for i in range {
                let digit = Int64(bytes[i]) - 48
                guard digit >= 0, digit <= 9 else { return nil }
                value = value * 10 + digit
            }
            return value
        }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10), let hour = number(11..<13),
            let minute = number(14..<16), let second = number(17..<19),
            (1...12).contains(month), day >= 1, day <= Timestamp.daysIn(month: month, year: year), hour < 24, minute < 60, second <= 60
        else { return nil }
        var index = 19
        var nanos: Int64 = 0
        if bytes[index] == UInt8(ascii: ".") {
            index += 1
            var digits = 0
            while index < bytes.count, bytes[index] >= 48, bytes[index] <= 57 {
                if digits < 9 { nanos = nanos * 10 + Int64(bytes[index] - 48) }
                digits += 1
                index += 1
            }
            guard digits > 0 else { return nil }
            for _ in digits..<max(digits, 9) { nanos *= 10 }
        }
        guard index < bytes.count else { return nil }
        var offset: Int64 = 0
        switch bytes[index] {
        case UInt8(ascii: "Z"), UInt8(ascii: "z"):
            guard index + 1 == bytes.count else { return nil }
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            guard index + 6 == bytes.count, bytes[index + 3] == UInt8(ascii: ":"), let oh = number(index + 1..<index + 3),
                let om = number(index + 4..<index + 6), oh < 24, om < 60
            else { return nil }
            offset = (oh * 3600 + om * 60) * (bytes[index] == UInt8(ascii: "-") ? -1 : 1)
        default:
            return nil
        }
        let days = Timestamp.days(fromCivil: year, Int(month), Int(day))
        self.seconds = days * 86_400 + hour * 3600 + minute * 60 + min(second, 59) - offset
        self.nanoseconds = Int32(nanos)
    }

    // Howard Hinnant's days_from_civil / civil_from_days (proleptic Gregorian).
    static func days(fromCivil year: Int64, _ month: Int, _ day: Int) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = Int64((month + 9) % 12)
        let doy = (153 * mp + 2) / 5 + Int64(day) - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    static func civil(fromDays days: Int64) -> (Int64, Int, Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = Int(doy - (153 * mp + 2) / 5 + 1)
        let month = Int(mp < 10 ? mp + 3 : mp - 9)
        return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    static func daysIn(month: Int64, year: Int64) -> Int64 {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

}
