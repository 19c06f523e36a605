/// A set of printable ASCII characters, written as the inside of a regular-expression bracket:
/// `A-Za-z0-9_.-` is the letters, the digits, `_`, `.` and `-`.
///
/// The notation is deliberately small: single characters and `x-y` ranges, a `-` that is first
/// or last stands for itself, and there are no escapes, negations or classes such as `\d`.
/// Only the printable characters `!` (0x21) to `~` (0x7E) can be members; a space, a control
/// character or anything outside ASCII never is. That is what makes a parameter pattern strict:
/// a look-alike letter such as Cyrillic `а` is simply not in `a-z`.
public struct ASCIICharacterClass: Sendable, Hashable, CustomStringConvertible, Codable {
    /// The notation this class was parsed from, e.g. `A-Za-z0-9_.-`.
    public let spec: String
    private let low: UInt64
    private let high: UInt64

    /// Parses the bracket notation.
    ///
    /// - Parameter spec: Characters and `x-y` ranges, e.g. `A-Za-z0-9@_.:-`.
    /// - Returns: nil when `spec` is empty, holds a character outside `!`…`~`, or has a range
    ///   whose ends are reversed (`z-a`).
    public init?(_ spec: String) {
        let bytes = Array(spec.utf8)
        guard !bytes.isEmpty, bytes.allSatisfy({ $0 >= 0x21 && $0 <= 0x7E }) else { return nil }
        var low: UInt64 = 0
        var high: UInt64 = 0
        var index = 0
        while index < bytes.count {
            let first = bytes[index]
            var last = first
            if index + 2 < bytes.count, bytes[index + 1] == UInt8(ascii: "-") {
                last = bytes[index + 2]
                guard first <= last else { return nil }
                index += 3
            } else {
                index += 1
            }
            for byte in first...last {
                if byte < 64 { low |= 1 << UInt64(byte) } else { high |= 1 << UInt64(byte - 64) }
            }
        }
        self.spec = spec
        self.low = low
        self.high = high
    }

    /// True when the byte is a member.
    ///
    /// - Parameter byte: One UTF-8 code unit; anything from 0x80 up is never a member.
    public func contains(_ byte: UInt8) -> Bool {
        if byte < 64 { return low & (1 << UInt64(byte)) != 0 }
        if byte < 128 { return high & (1 << UInt64(byte - 64)) != 0 }
        return false
    }

    /// True when every member of `self` is also a member of `other`.
    ///
    /// - Parameter other: The wider class.
    public func isSubset(of other: ASCIICharacterClass) -> Bool {
        low & ~other.low == 0 && high & ~other.high == 0
    }

    /// The members of `self` that are not in `other`, in ASCII order, e.g. `";$"`.
    ///
    /// - Parameter other: The class to compare against.
    public func members(notIn other: ASCIICharacterClass) -> String {
        var out = ""
        for byte in UInt8(0x21)...UInt8(0x7E) where contains(byte) && !other.contains(byte) {
            out.unicodeScalars.append(Unicode.Scalar(byte))
        }
        return out
    }

    /// The notation, as written.
    public var description: String { spec }

    /// Decodes the notation from a single string.
    ///
    /// - Throws: `DecodingError.dataCorrupted` when the notation is not valid.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let spec = try container.decode(String.self)
        guard let parsed = ASCIICharacterClass(spec) else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "not a character class of printable ASCII characters and ranges: \(spec.debugDescription)")
        }
        self = parsed
    }

    /// Encodes the notation as a single string.
    ///
    /// - Throws: Whatever the encoder throws.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(spec)
    }

    /// Equal when the notation is the same; two notations with the same members are different values.
    public static func == (lhs: ASCIICharacterClass, rhs: ASCIICharacterClass) -> Bool { lhs.spec == rhs.spec }

    /// Hashes the notation.
    public func hash(into hasher: inout Hasher) { hasher.combine(spec) }
}
