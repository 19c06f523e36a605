/// Maps an Alertmanager webhook body straight from UTF-8 bytes onto `AlertmanagerWebhook`,
/// in one pass and without building a JSON tree (`JSONScanner` does the syntax).
///
/// It reproduces the leniency and the error reasons of the `Decodable` conformance that
/// `AlertmanagerWebhook.decode` used before, which followed `JSONDecoder`'s rules:
///
/// - The first occurrence of a duplicated key wins; later ones are validated and ignored.
/// - Semantic errors are reported in declaration order, not byte order: the top level's
///   `version`, `groupKey`, `status`, `receiver`, `groupLabels`, `commonLabels`,
///   `commonAnnotations`, `externalURL`, then `alerts` (the first bad alert; within it
///   `status`, `labels`, `annotations`, `startsAt`, `endsAt`, `generatorURL`, `fingerprint`),
///   then alerts that have no status while the group has none either.
/// - Any syntax error anywhere in the body wins over every semantic error, as `JSONDecoder`
///   parsed the whole body before mapping it; so the parser records semantic errors and
///   keeps scanning.
/// - Inside an object of strings, the first bad value in byte order is reported
///   (`JSONDecoder` reported one in hash order).
/// - Paths read `alerts[0].labels.alertname`; a map key that reads as an integer is
///   written `[5]`, as `JSONDecoder`'s coding keys were.
///
/// Differences from the old decoder, all on bodies no Alertmanager sends:
/// - Syntax is checked everywhere. `JSONDecoder` let malformed numbers (`01`, `1.`, `-`),
///   bad escapes, raw control characters, unpaired surrogates and invalid UTF-8 through in
///   values it never decoded, and accepted trailing commas; these are now `invalid JSON: …`
///   with a position (in decoded fields they were `<path>: expected a string`).
/// - Nesting is limited to 64 levels instead of 512; UTF-16 and UTF-32 bodies are refused
///   (RFC 8259 §8.1 requires UTF-8).
/// - A numeric `version` or `groupKey` keeps all its digits (`Decimal` kept 38); one with a
///   fraction or exponent is written out in plain decimal as before (`4.50` → `4.5`,
///   `1e3` → `1000`) unless that takes over 200 characters (`Decimal`'s range was the limit).
/// - Text quoted in a reason has its control characters escaped (`\n`), so that the reason
///   stays on one line.
struct WebhookParser {
    var json: JSONScanner
    /// The pairs of the object of strings being read (see `stringMap`).
    private var pairs: [(key: String, value: String)] = []

    init(json: JSONScanner) {
        self.json = json
    }

    /// A semantic error and its rank in declaration order (lower is reported first).
    private struct RankedError {
        var rank: Int
        var error: WebhookDecodingError
    }

    /// Keeps the lowest-ranked error.
    private static func note(_ rank: Int, _ error: WebhookDecodingError, in slot: inout RankedError?) {
        if let current = slot, current.rank <= rank { return }
        slot = RankedError(rank: rank, error: error)
    }

    /// Puts a value that was read in `target`, or notes its error at `rank`.
    @inline(__always)
    private static func keep<T>(_ result: Result<T, WebhookDecodingError>, _ rank: Int, in target: inout T, noting slot: inout RankedError?) {
        switch result {
        case .success(let value): target = value
        case .failure(let error): note(rank, error, in: &slot)
        }
    }

    // MARK: - Top level

    /// Top-level keys, in declaration order (the order their errors are reported in).
    private enum TopField: Int {
        case version, groupKey, truncatedAlerts, status, receiver, groupLabels, commonLabels, commonAnnotations,
            externalURL, alerts
    }

    /// Parses the whole body.
    mutating func parse() throws(WebhookDecodingError) -> AlertmanagerWebhook {
        json.skipByteOrderMark()
        json.skipWhitespace()
        guard json.peek == UInt8(ascii: "{") else {
            let isNull = json.peek == UInt8(ascii: "n")
            try json.skipValue()
            try json.expectEnd()
            throw WebhookDecodingError("the top level: expected an object\(isNull ? ", found null" : "")")
        }
        var webhook = AlertmanagerWebhook(version: nil, alerts: [])
        var seen: UInt16 = 0
        var failure: RankedError?
        var statusless: [Int] = []

        try json.enterObject()
        var first = true
        while let key = try json.nextMember(&first) {
            guard let field = WebhookParser.topField(json.utf8(key)), seen & 1 << field.rawValue == 0 else {
                try json.skipValue()
                continue
            }
            seen |= 1 << field.rawValue
            let rank = field.rawValue
            switch field {
            case .version:
                Self.keep(try lenientString(at: "version"), rank, in: &webhook.version, noting: &failure)
            case .groupKey:
                Self.keep(try lenientString(at: "groupKey"), rank, in: &webhook.groupKey, noting: &failure)
            case .truncatedAlerts:
                webhook.truncatedAlerts = try lenientInt()
            case .status:
                Self.keep(try status(at: Path(nil, "status")), rank, in: &webhook.status, noting: &failure)
            case .receiver:
                Self.keep(try stringOrEmpty(at: Path(nil, "receiver")), rank, in: &webhook.receiver, noting: &failure)
            case .groupLabels:
                Self.keep(try stringMap(at: Path(nil, "groupLabels")).map { $0 ?? [:] }, rank, in: &webhook.groupLabels, noting: &failure)
            case .commonLabels:
                Self.keep(try stringMap(at: Path(nil, "commonLabels")).map { $0 ?? [:] }, rank, in: &webhook.commonLabels, noting: &failure)
            case .commonAnnotations:
                let map = try stringMap(at: Path(nil, "commonAnnotations")).map { $0 ?? [:] }
                Self.keep(map, rank, in: &webhook.commonAnnotations, noting: &failure)
            case .externalURL:
                Self.keep(try stringOrEmpty(at: Path(nil, "externalURL")), rank, in: &webhook.externalURL, noting: &failure)
            case .alerts:
                Self.keep(try alerts(statusless: &statusless), rank, in: &webhook.alerts, noting: &failure)
            }
        }
        try json.expectEnd()

        if seen & 1 << TopField.alerts.rawValue == 0 {
            WebhookParser.note(TopField.alerts.rawValue, WebhookDecodingError("alerts: required key is missing"), in: &failure)
        }
        if let failure { throw failure.error }
        if !statusless.isEmpty {
            guard let groupStatus = webhook.status else {
                throw WebhookDecodingError("alerts[\(statusless[0])].status: required key is missing")
            }
            for index in statusless { webhook.alerts[index].status = groupStatus }
        }
        return webhook
    }

    private static func topField(_ key: UnsafeBufferPointer<UInt8>) -> TopField? {
        switch key.count {
        case 6:
            if equal(key, "alerts") { return .alerts }
            if equal(key, "status") { return .status }
        case 7:
            if equal(key, "version") { return .version }
        case 8:
            if equal(key, "groupKey") { return .groupKey }
            if equal(key, "receiver") { return .receiver }
        case 11:
            if equal(key, "groupLabels") { return .groupLabels }
            if equal(key, "externalURL") { return .externalURL }
        case 12:
            if equal(key, "commonLabels") { return .commonLabels }
        case 15:
            if equal(key, "truncatedAlerts") { return .truncatedAlerts }
        case 17:
            if equal(key, "commonAnnotations") { return .commonAnnotations }
        default:
            break
        }
        return nil
    }

    // MARK: - Alerts

    /// The `alerts` list; indices of alerts without a status go to `statusless`.
    private mutating func alerts(statusless: inout [Int]) throws(WebhookDecodingError) -> Result<[Alert], WebhookDecodingError> {
        guard json.peek == UInt8(ascii: "[") else {
            if try json.skipNull() { return .failure(WebhookDecodingError("alerts: expected a list, found null")) }
            try json.skipValue()
            return .failure(WebhookDecodingError("alerts: expected a list"))
        }
        var list: [Alert] = []
        var failure: WebhookDecodingError?
        try json.enterArray()
        var first = true
        var index = 0
        while try json.nextElement(&first) {
            defer { index += 1 }
            if failure != nil {
                try json.skipValue()
                continue
            }
            guard json.peek == UInt8(ascii: "{") else {
                let isNull = try json.skipNull()
                if !isNull { try json.skipValue() }
                failure = WebhookDecodingError("alerts[\(index)]: expected an object\(isNull ? ", found null" : "")")
                continue
            }
            switch try alert(index) {
            case .success(let (alert, hasStatus)):
                if !hasStatus { statusless.append(index) }
                list.append(alert)
            case .failure(let error):
                failure = error
            }
        }
        if let failure { return .failure(failure) }
        return .success(list)
    }

    /// Alert keys, in declaration order.
    private enum AlertField: Int {
        case status, labels, annotations, startsAt, endsAt, generatorURL, fingerprint
    }

    /// One alert object at `json.index`; the flag tells whether it had a status of its own
    /// (without one, its status is a placeholder the caller replaces).
    private mutating func alert(_ index: Int) throws(WebhookDecodingError) -> Result<(Alert, Bool), WebhookDecodingError> {
        var seen: UInt8 = 0
        var failure: RankedError?
        var status: AlertStatus?
        var labels: [String: String] = [:]
        var annotations: [String: String] = [:]
        var startsAt = Timestamp.goZero
        var endsAt: Timestamp?
        var generatorURL = ""
        var fingerprint = ""

        try json.enterObject()
        var first = true
        while let key = try json.nextMember(&first) {
            guard let field = WebhookParser.alertField(json.utf8(key)), seen & 1 << field.rawValue == 0 else {
                try json.skipValue()
                continue
            }
            seen |= 1 << field.rawValue
            let rank = field.rawValue
            switch field {
            case .status:
                Self.keep(try self.status(at: Path(index, "status")), rank, in: &status, noting: &failure)
            case .labels:
                let path = Path(index, "labels")
                switch try stringMap(at: path) {
                case .success(let value?): labels = value
                case .success(nil): WebhookParser.note(rank, path.error("expected an object, found null"), in: &failure)
                case .failure(let error): WebhookParser.note(rank, error, in: &failure)
                }
            case .annotations:
                Self.keep(try stringMap(at: Path(index, "annotations")).map { $0 ?? [:] }, rank, in: &annotations, noting: &failure)
            case .startsAt:
                let path = Path(index, "startsAt")
                switch try timestamp(at: path) {
                case .success(let value?) where value.isGoZero:
                    WebhookParser.note(rank, path.error("startsAt is the zero time"), in: &failure)
                case .success(let value?): startsAt = value
                case .success(nil): WebhookParser.note(rank, path.error("expected a string, found null"), in: &failure)
                case .failure(let error): WebhookParser.note(rank, error, in: &failure)
                }
            case .endsAt:
                let time = try timestamp(at: Path(index, "endsAt")).map { $0?.isGoZero == true ? nil : $0 }
                Self.keep(time, rank, in: &endsAt, noting: &failure)
            case .generatorURL:
                Self.keep(try stringOrEmpty(at: Path(index, "generatorURL")), rank, in: &generatorURL, noting: &failure)
            case .fingerprint:
                Self.keep(try stringOrEmpty(at: Path(index, "fingerprint")), rank, in: &fingerprint, noting: &failure)
            }
        }
        if seen & 1 << AlertField.labels.rawValue == 0 {
            WebhookParser.note(AlertField.labels.rawValue, Path(index, "labels").error("required key is missing"), in: &failure)
        }
        if seen & 1 << AlertField.startsAt.rawValue == 0 {
            WebhookParser.note(AlertField.startsAt.rawValue, Path(index, "startsAt").error("required key is missing"), in: &failure)
        }
        if let failure { return .failure(failure.error) }
        let alert = Alert(
            status: status ?? .firing, labels: labels, annotations: annotations, startsAt: startsAt, endsAt: endsAt,
            generatorURL: generatorURL, senderFingerprint: fingerprint)
        return .success((alert, status != nil))
    }

    private static func alertField(_ key: UnsafeBufferPointer<UInt8>) -> AlertField? {
        switch key.count {
        case 6:
            if equal(key, "labels") { return .labels }
            if equal(key, "status") { return .status }
            if equal(key, "endsAt") { return .endsAt }
        case 8:
            if equal(key, "startsAt") { return .startsAt }
        case 11:
            if equal(key, "annotations") { return .annotations }
            if equal(key, "fingerprint") { return .fingerprint }
        case 12:
            if equal(key, "generatorURL") { return .generatorURL }
        default:
            break
        }
        return nil
    }

    // MARK: - Values

    /// Where a value sits, for reasons: `version`, `alerts[3].labels`.
    struct Path {
        /// The alert's index, or nil at the top level.
        var alert: Int?
        var key: String

        init(_ alert: Int?, _ key: String) {
            self.alert = alert
            self.key = key
        }

        var text: String { alert.map { "alerts[\($0)].\(key)" } ?? key }

        /// The path of `mapKey` inside this object: `.name`, or `[5]` for integer-like keys.
        func appending(_ mapKey: String) -> String {
            if let number = Int(mapKey) { return "\(text)[\(number)]" }
            return "\(text).\(mapKey)"
        }

        func error(_ what: String) -> WebhookDecodingError { WebhookDecodingError(oneLine: "\(text): \(what)") }
    }

    /// The byte where the next value starts, or 0 at the end of the input (no value starts
    /// with 0, so the `default` branches hand it to `skipValue`, which reports the end).
    private var next: UInt8 { json.peek ?? 0 }

    /// At a value that is not the kind expected: null gives nil, anything else is skipped and
    /// is `expected a string`.
    private mutating func nullOrNotAString<T>(at path: Path) throws(WebhookDecodingError) -> Result<T?, WebhookDecodingError> {
        if try json.skipNull() { return .success(nil) }
        try json.skipValue()
        return .failure(path.error("expected a string"))
    }

    /// A string; null gives the empty string; anything else is an error.
    private mutating func stringOrEmpty(at path: Path) throws(WebhookDecodingError) -> Result<String, WebhookDecodingError> {
        guard next == UInt8(ascii: "\"") else { return try nullOrNotAString(at: path).map { $0 ?? "" } }
        return .success(json.string(try json.scanString()))
    }

    /// `version` and `groupKey`: a string, or a number written out in plain decimal
    /// (integers exactly as written, `-0` as `0`; `4.50` as `4.5`, `1e3` as `1000`); null gives nil.
    private mutating func lenientString(at key: String) throws(WebhookDecodingError) -> Result<String?, WebhookDecodingError> {
        switch next {
        case UInt8(ascii: "\""):
            return .success(json.string(try json.scanString()))
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            let number = try json.scanNumber()
            if let text = WebhookParser.plainDecimal(json.text(number), isInteger: number.isInteger) { return .success(text) }
            return .failure(Path(nil, key).error("expected a string"))
        default:
            return try nullOrNotAString(at: Path(nil, key))
        }
    }

    /// `truncatedAlerts`: a number with an integral value that fits `Int`, else 0 (whatever
    /// the value is, as before).
    private mutating func lenientInt() throws(WebhookDecodingError) -> Int {
        switch next {
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            let number = try json.scanNumber()
            let text = String(decoding: json.text(number), as: UTF8.self)
            if number.isInteger { return Int(text) ?? 0 }
            // JSONDecoder read fractions and exponents through Double.
            return Double(text).flatMap { Int(exactly: $0) } ?? 0
        default:
            try json.skipValue()
            return 0
        }
    }

    /// `firing` or `resolved`; null gives nil.
    private mutating func status(at path: Path) throws(WebhookDecodingError) -> Result<AlertStatus?, WebhookDecodingError> {
        guard next == UInt8(ascii: "\"") else { return try nullOrNotAString(at: path) }
        let text = json.utf8(try json.scanString())
        if WebhookParser.equal(text, "firing") { return .success(.firing) }
        if WebhookParser.equal(text, "resolved") { return .success(.resolved) }
        let value = String(decoding: text, as: UTF8.self)
        return .failure(path.error("Cannot initialize AlertStatus from invalid String value \(value)"))
    }

    /// An RFC 3339 time in a string; null gives nil.
    private mutating func timestamp(at path: Path) throws(WebhookDecodingError) -> Result<Timestamp?, WebhookDecodingError> {
        guard next == UInt8(ascii: "\"") else { return try nullOrNotAString(at: path) }
        let text = json.utf8(try json.scanString())
        if let stamp = Timestamp(rfc3339UTF8: text) { return .success(stamp) }
        return .failure(path.error("not an RFC 3339 time: \(String(decoding: text, as: UTF8.self).prefix(40))"))
    }

    /// An object of strings; null gives nil. The first occurrence of a key wins.
    ///
    /// Pairs are gathered in `pairs` (reused from map to map) and the dictionary is built at
    /// its final size, so that it is allocated and each key hashed once.
    private mutating func stringMap(at path: Path) throws(WebhookDecodingError) -> Result<[String: String]?, WebhookDecodingError> {
        guard json.peek == UInt8(ascii: "{") else {
            if try json.skipNull() { return .success(nil) }
            try json.skipValue()
            return .failure(path.error("expected an object"))
        }
        pairs.removeAll(keepingCapacity: true)
        var failure: WebhookDecodingError?
        try json.enterObject()
        var first = true
        while let keyToken = try json.nextMember(&first) {
            if failure != nil {
                try json.skipValue()
                continue
            }
            let key = json.string(keyToken)
            if json.peek == UInt8(ascii: "\"") {
                pairs.append((key, json.string(try json.scanString())))
                continue
            }
            let isNull = try json.skipNull()
            if !isNull { try json.skipValue() }
            if pairs.contains(where: { $0.key == key }) { continue }  // a later duplicate is never looked at
            failure = WebhookDecodingError(oneLine: "\(path.appending(key)): expected a string\(isNull ? ", found null" : "")")
        }
        if let failure { return .failure(failure) }
        if pairs.isEmpty { return .success([:]) }
        var map = [String: String](minimumCapacity: pairs.count)
        for (key, value) in pairs {
            if let earlier = map.updateValue(value, forKey: key) { map[key] = earlier }
        }
        return .success(map)
    }

    // MARK: - Helpers

    /// Whether `bytes` spell `word`.
    @inline(__always)
    static func equal(_ bytes: UnsafeBufferPointer<UInt8>, _ word: StaticString) -> Bool {
        let count = word.utf8CodeUnitCount
        guard bytes.count == count else { return false }
        let expected = word.utf8Start
        for i in 0..<count where bytes[i] != expected[i] { return false }
        return true
    }

    /// Longest plain-decimal text made from a number with a fraction or an exponent; longer
    /// ones (`1e999`) are refused, as the old decoder refused numbers outside `Decimal`'s range.
    static let plainDecimalLimit = 200

    /// A valid JSON number in plain decimal notation: integers as written (`-0` as `0`);
    /// otherwise the exact value without exponent or trailing zeros (`4.50` → `4.5`,
    /// `1e3` → `1000`, `15e-1` → `1.5`, `-0.0` → `0`), or nil beyond `plainDecimalLimit`.
    static func plainDecimal(_ text: UnsafeBufferPointer<UInt8>, isInteger: Bool) -> String? {
        let negative = text.first == UInt8(ascii: "-")
        if isInteger {
            if text.count == 2, negative, text[1] == UInt8(ascii: "0") { return "0" }
            return String(decoding: text, as: UTF8.self)
        }
        var digits: [UInt8] = []
        var exponent = 0
        var i = negative ? 1 : 0
        var inFraction = false
        while i < text.count {
            let byte = text[i]
            if byte == UInt8(ascii: ".") {
                inFraction = true
            } else if byte | 0x20 == UInt8(ascii: "e") {
                break
            } else {
                if !(digits.isEmpty && byte == UInt8(ascii: "0")) { digits.append(byte) }  // no leading zeros
                if inFraction { exponent -= 1 }
            }
            i += 1
        }
        if i < text.count {  // the exponent; clamped, as a longer one can only be refused
            i += 1
            var sign = 1
            if text[i] == UInt8(ascii: "-") || text[i] == UInt8(ascii: "+") {
                if text[i] == UInt8(ascii: "-") { sign = -1 }
                i += 1
            }
            var value = 0
            while i < text.count {
                value = min(value * 10 + Int(text[i] - UInt8(ascii: "0")), 1_000_000)
                i += 1
            }
            exponent += sign * value
        }
        while let last = digits.last, last == UInt8(ascii: "0") {
            digits.removeLast()
            exponent += 1
        }
        if digits.isEmpty { return "0" }
        let sign = negative ? "-" : ""
        let integerDigits = digits.count + exponent
        let length = sign.count + max(integerDigits, 1) + (exponent < 0 ? 1 + max(-exponent, 0) : 0)
        guard length <= plainDecimalLimit else { return nil }
        let all = String(decoding: digits, as: UTF8.self)
        if exponent >= 0 { return sign + all + String(repeating: "0", count: exponent) }
        if integerDigits > 0 {
            return sign + all.prefix(integerDigits) + "." + all.dropFirst(integerDigits)
        }
        return sign + "0." + String(repeating: "0", count: -integerDigits) + all
    }
}

extension WebhookDecodingError {
    /// A reason with control characters (and line or paragraph separators) escaped, so that
    /// text quoted from the body cannot break it over several lines.
    init(oneLine reason: String) {
        guard reason.unicodeScalars.contains(where: WebhookDecodingError.breaksLine) else {
            self.init(reason)
            return
        }
        var escaped = ""
        for scalar in reason.unicodeScalars {
            if WebhookDecodingError.breaksLine(scalar) {
                escaped += scalar.escaped(asASCII: true)
            } else {
                escaped.unicodeScalars.append(scalar)
            }
        }
        self.init(escaped)
    }

    private static func breaksLine(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) || scalar.value == 0x2028 || scalar.value == 0x2029
    }
}
