/// One stored row of the large parts of `TriageState`, so that a run reads and writes only
/// the entries its alerts touch instead of the whole state.
///
/// The state has small parts (root causes, attempt budgets, parked alerts: bounded by the
/// cascade configuration, remediation rate limits and maintenance) and large ones that grow
/// with every distinct alert: processed keys, open occurrences and flap histories. The large
/// ones are stored as rows, each keyed so that triaging one alert needs exactly two of them:
///
/// - `o|<fingerprint@startsAt>`: the occurrence's processed times (firing and resolved) and
///   its open occurrence, if any;
/// - `f|<alertname/instance>`: the alert key's flap detector.
///
/// Values are a small binary encoding (a version byte, then fixed-width little-endian
/// numbers and length-prefixed UTF-8), several times faster than JSON for 100,000 rows.
/// Every row also carries `expiresAt`, the time after which `TriageState.prune` would drop
/// all of it, so the store can drop idle rows without decoding them.
public struct TriageStateRow: Sendable, Equatable {
    /// The row's key (`o|…` or `f|…`).
    public var key: String
    /// The encoded entries; nil when the row no longer holds anything (delete it).
    public var value: [UInt8]?
    /// Seconds since the epoch after which every entry of the row would be pruned.
    public var expiresAt: Double
    /// True when the store is known to hold no row with this key (it was looked up and not
    /// found), so the row can be inserted without a lookup.
    public var isNew: Bool

    public init(key: String, value: [UInt8]?, expiresAt: Double, isNew: Bool = false) {
        self.key = key
        self.value = value
        self.expiresAt = expiresAt
        self.isNew = isNew
    }

    /// The prefix of occurrence rows.
    static let occurrencePrefix = "o|"
    /// The prefix of flap-history rows.
    static let flapPrefix = "f|"

    /// The two row keys triaging `alert` reads and writes.
    public static func keys(for alert: Alert) -> (occurrence: String, flap: String) {
        (occurrencePrefix + alert.occurrence.description, flapPrefix + alert.alertKey.description)
    }

    /// The occurrence (`fingerprint@startsAt`) a processed key (`…/firing`) belongs to, and
    /// its status; nil for a key of another shape.
    static func split(processedKey key: String) -> (occurrence: Substring, status: AlertStatus)? {
        guard let slash = key.lastIndex(of: "/"), let status = AlertStatus(rawValue: String(key[key.index(after: slash)...])) else {
            return nil
        }
        return (key[..<slash], status)
    }
}

/// The large parts of a `TriageState` that one batch of alerts touched, taken out of the
/// state as rows (see `TriageStateRow`).
extension TriageState {
    /// Puts stored rows back into the state, e.g. before triaging the alerts that need them.
    /// Entries already in memory win over stored ones (they are newer).
    /// - Parameters:
    ///   - rows: `(key, value)` pairs as stored.
    ///   - prunedAt: when given, entries `prune(at:configuration:)` would drop at that time
    ///     are left out, as if the state had been pruned at the start of the run.
    ///   - configuration: the retention limits.
    /// - Returns: the keys of rows that could not be decoded (they are left out).
    @discardableResult
    public mutating func insert(rows: [(key: String, value: [UInt8])], prunedAt: Timestamp?, configuration: TriageConfiguration) -> [String] {
        var unreadable: [String] = []
        for (key, value) in rows {
            if key.hasPrefix(TriageStateRow.occurrencePrefix) {
                let occurrence = String(key.dropFirst(TriageStateRow.occurrencePrefix.count))
                guard let decoded = OccurrenceRow.decode(value, occurrence: occurrence) else {
                    unreadable.append(key)
                    continue
                }
                for (status, at) in decoded.processed {
                    if let prunedAt, !Self.keepsProcessed(at: at, now: prunedAt, configuration) { continue }
                    let processedKey = "\(occurrence)/\(status.rawValue)"
                    if processed[processedKey] == nil { processed[processedKey] = at }
                }
                if let open = decoded.open, openOccurrences[occurrence] == nil {
                    if let prunedAt, !Self.keepsOccurrence(lastSeenAt: open.lastSeenAt, now: prunedAt, configuration) { continue }
                    openOccurrences[occurrence] = open
                }
            } else if key.hasPrefix(TriageStateRow.flapPrefix) {
                let alertKey = String(key.dropFirst(TriageStateRow.flapPrefix.count))
                guard let detector = FlapRow.decode(value) else {
                    unreadable.append(key)
                    continue
                }
                if let prunedAt, !Self.keepsFlapHistory(detector, now: prunedAt, configuration) { continue }
                if flapDetectors[alertKey] == nil { flapDetectors[alertKey] = detector }
            } else {
                unreadable.append(key)
            }
        }
        return unreadable
    }

    /// Takes the large parts out of the state as rows (the small parts stay), leaving them
    /// empty. Keys that were read and are now gone are not included: the caller knows which
    /// it read (see `TriageStateRow.keys(for:)`) and deletes those.
    /// - Parameter configuration: the retention limits, for each row's `expiresAt`.
    /// - Returns: one row per occurrence and per alert key in memory.
    public mutating func takeRows(configuration: TriageConfiguration) -> [TriageStateRow] {
        var rows: [TriageStateRow] = []
        rows.reserveCapacity(openOccurrences.count + flapDetectors.count + processed.count / 2)
        var processed = self.processed
        func row(_ occurrence: String, open: OpenOccurrence?) -> TriageStateRow {
            var row = OccurrenceRow(open: open)
            if let at = processed.removeValue(forKey: occurrence + "/firing") { row.processed.append((.firing, at)) }
            if let at = processed.removeValue(forKey: occurrence + "/resolved") { row.processed.append((.resolved, at)) }
            return TriageStateRow(key: TriageStateRow.occurrencePrefix + occurrence, value: row.encoded(), expiresAt: row.expiresAt(configuration))
        }
        for (occurrence, open) in openOccurrences { rows.append(row(occurrence, open: open)) }
        // Occurrences with processed keys only (resolved ones, or pruned open entries).
        while let key = processed.first?.key {
            guard let (occurrence, _) = TriageStateRow.split(processedKey: key) else {
                processed.removeValue(forKey: key)
                continue
            }
            rows.append(row(String(occurrence), open: nil))
        }
        for (alertKey, detector) in flapDetectors {
            let expires = detector.lastRecordedAt.map { $0.epochSeconds + configuration.flapHistoryRetention } ?? 0
            rows.append(TriageStateRow(key: TriageStateRow.flapPrefix + alertKey, value: FlapRow.encode(detector), expiresAt: expires))
        }
        self.processed = [:]
        openOccurrences = [:]
        flapDetectors = [:]
        return rows
    }
}

/// An occurrence row: processed times by status and the open occurrence.
struct OccurrenceRow {
    var processed: [(AlertStatus, Timestamp)] = []
    var open: OpenOccurrence?

    static let version: UInt8 = 1

    func expiresAt(_ configuration: TriageConfiguration) -> Double {
        var latest = 0.0
        for (_, at) in processed { latest = max(latest, at.epochSeconds + configuration.dedupCooldown) }
        if let open { latest = max(latest, open.lastSeenAt.epochSeconds + configuration.occurrenceRetention) }
        return latest
    }

    func encoded() -> [UInt8] {
        var out = RowWriter()
        out.byte(Self.version)
        out.byte(UInt8(processed.count))
        for (status, at) in processed {
            out.byte(status == .firing ? 0 : 1)
            out.timestamp(at)
        }
        if let open {
            out.byte(1)
            out.string(open.alertKey)
            out.timestamp(open.startsAt)
            out.timestamp(open.firstSeenAt)
            out.timestamp(open.lastSeenAt)
        } else {
            out.byte(0)
        }
        return out.bytes
    }

    static func decode(_ bytes: [UInt8], occurrence: String) -> OccurrenceRow? {
        var input = RowReader(bytes)
        guard input.byte() == version, let count = input.byte(), count <= 2 else { return nil }
        var row = OccurrenceRow()
        for _ in 0..<count {
            guard let code = input.byte(), code <= 1, let at = input.timestamp() else { return nil }
            row.processed.append((code == 0 ? .firing : .resolved, at))
        }
        switch input.byte() {
        case 0:
            break
        case 1:
            guard let alertKey = input.string(), let startsAt = input.timestamp(), let first = input.timestamp(), let last = input.timestamp()
            else { return nil }
            row.open = OpenOccurrence(occurrence: occurrence, alertKey: alertKey, startsAt: startsAt, firstSeenAt: first, lastSeenAt: last)
        default:
            return nil
        }
        return input.isAtEnd ? row : nil
    }
}

/// A flap-history row: the detector's parts.
enum FlapRow {
    static let version: UInt8 = 1

    static func encode(_ detector: FlapDetector) -> [UInt8] {
        var out = RowWriter()
        out.byte(version)
        out.uint32(UInt32(detector.states.count))
        for state in detector.states { out.byte(state == .firing ? 0 : 1) }
        out.byte(detector.isFlapping ? 1 : 0)
        out.double(detector.percentStateChange)
        out.optionalTimestamp(detector.lastRecordedAt)
        out.optionalTimestamp(detector.flappingSince)
        return out.bytes
    }

    static func decode(_ bytes: [UInt8]) -> FlapDetector? {
        var input = RowReader(bytes)
        guard input.byte() == version, let count = input.uint32(), Int(count) <= bytes.count else { return nil }
        var states: [AlertStatus] = []
        states.reserveCapacity(Int(count))
        for _ in 0..<count {
            guard let code = input.byte(), code <= 1 else { return nil }
            states.append(code == 0 ? .firing : .resolved)
        }
        guard let flapping = input.byte(), flapping <= 1, let percent = input.double(), let last = input.optionalTimestamp(),
            let since = input.optionalTimestamp(), input.isAtEnd
        else { return nil }
        return FlapDetector(states: states, isFlapping: flapping == 1, percentStateChange: percent, lastRecordedAt: last, flappingSince: since)
    }
}

/// Appends fixed-width little-endian numbers and length-prefixed UTF-8.
struct RowWriter {
    var bytes: [UInt8] = []

    init() { bytes.reserveCapacity(96) }

    mutating func byte(_ value: UInt8) { bytes.append(value) }

    mutating func uint32(_ value: UInt32) {
        for shift in stride(from: 0, to: 32, by: 8) { bytes.append(UInt8(truncatingIfNeeded: value >> UInt32(shift))) }
    }

    mutating func uint64(_ value: UInt64) {
        for shift in stride(from: 0, to: 64, by: 8) { bytes.append(UInt8(truncatingIfNeeded: value >> UInt64(shift))) }
    }

    mutating func double(_ value: Double) { uint64(value.bitPattern) }

    mutating func timestamp(_ value: Timestamp) {
        uint64(UInt64(bitPattern: value.seconds))
        uint32(UInt32(bitPattern: value.nanoseconds))
    }

    /// A presence byte (0/1), then the timestamp when present. (Optional parameters would be
    /// ambiguous with `timestamp(_:)` at call sites.)
    mutating func optionalTimestamp(_ value: Timestamp?) {
        guard let value else { return byte(0) }
        byte(1)
        timestamp(value)
    }

    mutating func string(_ value: String) {
        var value = value
        value.withUTF8 { utf8 in
            uint32(UInt32(utf8.count))
            bytes.append(contentsOf: utf8)
        }
    }
}

/// Reads what `RowWriter` wrote; every read returns nil past the end.
struct RowReader {
    let bytes: [UInt8]
    var offset = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    var isAtEnd: Bool { offset == bytes.count }

    mutating func byte() -> UInt8? {
        guard offset < bytes.count else { return nil }
        defer { offset += 1 }
        return bytes[offset]
    }

    mutating func uint32() -> UInt32? {
        guard bytes.count - offset >= 4 else { return nil }
        var value: UInt32 = 0
        for index in 0..<4 { value |= UInt32(bytes[offset + index]) << UInt32(8 * index) }
        offset += 4
        return value
    }

    mutating func uint64() -> UInt64? {
        guard bytes.count - offset >= 8 else { return nil }
        var value: UInt64 = 0
        for index in 0..<8 { value |= UInt64(bytes[offset + index]) << UInt64(8 * index) }
        offset += 8
        return value
    }

    mutating func double() -> Double? { uint64().map { Double(bitPattern: $0) } }

    mutating func timestamp() -> Timestamp? {
        guard let seconds = uint64(), let nanoseconds = uint32() else { return nil }
        let nanos = Int32(bitPattern: nanoseconds)
        guard (0..<1_000_000_000).contains(nanos) else { return nil }
        return Timestamp(seconds: Int64(bitPattern: seconds), nanoseconds: nanos)
    }

    /// nil at the end or on a bad presence byte; `.some(nil)` for an absent timestamp.
    mutating func optionalTimestamp() -> Timestamp?? {
        switch byte() {
        case 0: return .some(nil)
        case 1: return timestamp().map { .some($0) }
        default: return nil
        }
    }

    mutating func string() -> String? {
        guard let count = uint32().map(Int.init), bytes.count - offset >= count else { return nil }
        defer { offset += count }
        return String(validating: bytes[offset..<offset + count], as: UTF8.self)
    }
}
