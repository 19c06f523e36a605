import Foundation

/// The stretch of time a weekly report covers, and its days in local time.
///
/// A day is a local calendar day, so a week that spans a daylight-saving change has one day
/// of 23 or 25 hours. `bounds` are the instants the database buckets rows by: `bounds[i]`
/// to `bounds[i + 1]` is day `i`; the first bound is `since` and the last is `until`.
public struct ReportPeriod: Sendable, Equatable {
    /// Start, inclusive.
    public var since: Timestamp
    /// End, exclusive.
    public var until: Timestamp
    /// `since`, every local midnight strictly between, and `until`.
    public var bounds: [Timestamp]
    /// The local date of each day (`2026-12-01`), one per day.
    public var dayLabels: [String]
    /// How people name the period: `2026-W49`, or `2026-11-29T08:00:00Z … 2026-12-06T08:00:00Z`.
    public var label: String
    /// The zone the days are counted in (its identifier, e.g. `Europe/Berlin`).
    public var timeZone: String

    /// The number of days.
    public var dayCount: Int { max(0, bounds.count - 1) }

    /// Alert keys firing on at least this many days count as chronic: 4 of 7, scaled for
    /// other lengths (at least 2).
    public var chronicMinimumDays: Int { max(2, (4 * dayCount + 6) / 7) }

    /// The idempotency key of the Discord post: one per period.
    public var dedupKey: String { "weekly-report:\(label)" }

    /// A period from explicit instants.
    ///
    /// - Parameters:
    ///   - since: Start, inclusive.
    ///   - until: End, exclusive; must be after `since`.
    ///   - label: The name; nil names it by its instants.
    ///   - timeZone: The zone days are counted in.
    /// - Throws: `ReportPeriodError` when `until` is not after `since`, or the period is over
    ///   a year long.
    public init(since: Timestamp, until: Timestamp, label: String? = nil, timeZone: TimeZone) throws {
        guard since < until else { throw ReportPeriodError("the period must end after it starts (\(since.rfc3339) … \(until.rfc3339))") }
        guard until.seconds(since: since) <= 366 * 86_400 else { throw ReportPeriodError("a report covers at most a year") }
        self.since = since
        self.until = until
        self.timeZone = timeZone.identifier
        self.label = label ?? ""
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        var bounds = [since]
        var labels: [String] = []
        var dayStart = calendar.startOfDay(for: since.date)
        while true {
            labels.append(Self.dateText(dayStart, calendar))
            guard let next = calendar.date(byAdding: .day, value: 1, to: dayStart) else { break }
            dayStart = calendar.startOfDay(for: next)
            let instant = Timestamp(epochSeconds: dayStart.timeIntervalSince1970)
            if instant >= until { break }
            bounds.append(instant)
        }
        bounds.append(until)
        self.bounds = bounds
        self.dayLabels = labels
        if label == nil {
            // Whole local days read as dates; anything else as UTC times to the second.
            let midnight = { (time: Timestamp) in calendar.startOfDay(for: time.date).timeIntervalSince1970 == time.epochSeconds }
            if midnight(since) && midnight(until) {
                self.label = "\(labels.first ?? "") … \(Self.dateText(until.date, calendar))"
            } else {
                self.label = "\(Timestamp(seconds: since.seconds).rfc3339) … \(Timestamp(seconds: until.seconds).rfc3339)"
            }
        }
    }

    /// The period a command line asks for: `week` (`2026-W49`, or `last`: the last complete
    /// ISO week), else `since`/`until`
    /// (RFC 3339, or a date meaning local midnight), else the 7 days before `now`.
    ///
    /// - Parameters:
    ///   - week: An ISO week, `YYYY-Www`.
    ///   - since: Start; default 7 days before `until`.
    ///   - until: End; default `now`, rounded up to a whole second.
    ///   - now: The current instant.
    ///   - timeZone: The zone of days and dates.
    /// - Throws: `ReportPeriodError` with a one-line reason.
    public static func parse(week: String?, since: String?, until: String?, now: Timestamp, timeZone: TimeZone) throws -> ReportPeriod {
        var calendar = Calendar(identifier: .iso8601)
        calendar.timeZone = timeZone
        if var week {
            guard since == nil, until == nil else { throw ReportPeriodError("--week cannot be combined with --since or --until") }
            if week == "last" {
                week = isoWeek(
                    of: Timestamp(epochSeconds: (calendar.date(byAdding: .day, value: -7, to: now.date) ?? now.date).timeIntervalSince1970),
                    timeZone: timeZone)
            }
            let parts = week.uppercased().split(separator: "-W")
            guard parts.count == 2, let year = Int(parts[0]), let number = Int(parts[1]), (1000...9999).contains(year), (1...53).contains(number),
                let start = calendar.date(from: DateComponents(weekday: 2, weekOfYear: number, yearForWeekOfYear: year)),
                calendar.component(.weekOfYear, from: start) == number,
                let end = calendar.date(byAdding: .weekOfYear, value: 1, to: start)
            else { throw ReportPeriodError("--week \(week): expected an ISO week such as 2026-W49, or last") }
            let label = String(format: "%04d-W%02d", year, number)
            return try ReportPeriod(
                since: Timestamp(epochSeconds: start.timeIntervalSince1970), until: Timestamp(epochSeconds: end.timeIntervalSince1970),
                label: label, timeZone: timeZone)
        }
        // Without --until the period ends at the next whole second, so it holds everything
        // recorded up to now (ending at the current second would leave out the last fraction).
        let end =
            try until.map { try instant($0, option: "--until", calendar: calendar) }
            ?? Timestamp(seconds: now.seconds + (now.nanoseconds > 0 ? 1 : 0))
        let start: Timestamp
        if let since {
            start = try instant(since, option: "--since", calendar: calendar)
        } else {
            let date = calendar.date(byAdding: .day, value: -7, to: end.date) ?? end.adding(seconds: -7 * 86_400).date
            start = Timestamp(epochSeconds: date.timeIntervalSince1970)
        }
        return try ReportPeriod(since: start, until: end, timeZone: timeZone)
    }

    /// The ISO week (`2026-W49`) that `instant` falls in, in `timeZone`.
    public static func isoWeek(of instant: Timestamp, timeZone: TimeZone) -> String {
        var calendar = Calendar(identifier: .iso8601)
        calendar.timeZone = timeZone
        let parts = calendar.dateComponents([.yearForWeekOfYear, .weekOfYear], from: instant.date)
        return String(format: "%04d-W%02d", parts.yearForWeekOfYear ?? 0, parts.weekOfYear ?? 0)
    }

    private static func instant(_ text: String, option: String, calendar: Calendar) throws -> Timestamp {
        if let timestamp = Timestamp(rfc3339: text) { return timestamp }
        let parts = text.split(separator: "-").map { Int($0) }
        if parts.count == 3, let year = parts[0], let month = parts[1], let day = parts[2],
            let date = calendar.date(from: DateComponents(year: year, month: month, day: day)),
            calendar.component(.day, from: date) == day
        {
            return Timestamp(epochSeconds: date.timeIntervalSince1970)
        }
        throw ReportPeriodError("\(option) \(text): expected a date (2026-12-01) or an RFC 3339 time (2026-12-01T08:00:00Z)")
    }

    private static func dateText(_ date: Date, _ calendar: Calendar) -> String {
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d-%02d-%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0)
    }
}

/// A period that cannot be built from what was asked (a usage error).
public struct ReportPeriodError: Error, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

extension Timestamp {
    /// The instant as a `Date` (to the microsecond).
    var date: Date { Date(timeIntervalSince1970: epochSeconds) }
}
