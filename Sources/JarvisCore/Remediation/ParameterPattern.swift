/// The strict shape a catalog parameter's value must have, checked by hand over its bytes
/// (no regular-expression engine, so no anchoring mistakes and no backtracking).
///
/// A value matches when all of these hold:
///
/// 1. **The universal rules**, which no pattern can relax: it is not empty, at most
///    `universalMaximumLength` bytes, pure ASCII, made only of `universalCharacters`
///    (`A-Z a-z 0-9 @ _ . : + = , % -`: no space, quote, `;`, `|`, `&`, `$`, backtick, `<`, `>`,
///    `/`, backslash or control character), does not start with `-` (it can never be read as an
///    option), and does not contain `..`.
/// 2. Its first character is in `firstCharacters` and every other one in `characters`.
/// 3. Its length is within `length`.
/// 4. With `unitTypes` set (systemd unit names): when the text after its last `.` is a systemd
///    unit type (`service`, `target`, `mount`…), that type must be one of `unitTypes`. Without a
///    type suffix, systemctl implies `.service`. This keeps `reboot.target` out of
///    `systemctl restart {unit}`.
///
/// The built-in patterns (`container`, `unit`, `interface`, `lines`, `project`) are what the
/// default catalog uses; a configured template names one of them or spells out its own.
public struct ParameterPattern: Sendable, Hashable, CustomStringConvertible {
    /// A short name for messages: the built-in's name, or `custom`.
    public var name: String
    /// The characters the first character may be.
    public var firstCharacters: ASCIICharacterClass
    /// The characters every later character may be.
    public var characters: ASCIICharacterClass
    /// Allowed length in bytes (the whole value, suffix included).
    public var length: ClosedRange<Int>
    /// For systemd unit names: the unit types a value may name explicitly. nil for other values.
    public var unitTypes: Set<String>?

    /// The characters any parameter value may ever contain: the characters `ShellQuoting`
    /// leaves bare, except `/`.
    public static let universalCharacters = ASCIICharacterClass("A-Za-z0-9@_.:+=,%-")!
    /// The longest value any parameter may ever have, in bytes.
    public static let universalMaximumLength = 256
    /// Every systemd unit type, so that `nginx.service` is recognised as naming a type and
    /// `php8.2-fpm` is not.
    public static let systemdUnitTypes: Set<String> = [
        "service", "socket", "device", "mount", "automount", "swap", "target", "path", "timer", "slice", "scope",
    ]

    /// Creates a pattern.
    ///
    /// - Parameters:
    ///   - name: A short name for messages.
    ///   - firstCharacters: Allowed first characters.
    ///   - characters: Allowed later characters.
    ///   - length: Allowed length in bytes.
    ///   - unitTypes: For systemd unit names, the unit types a value may name; nil otherwise.
    public init(
        name: String = "custom", firstCharacters: ASCIICharacterClass, characters: ASCIICharacterClass, length: ClosedRange<Int>,
        unitTypes: Set<String>? = nil
    ) {
        self.name = name
        self.firstCharacters = firstCharacters
        self.characters = characters
        self.length = length
        self.unitTypes = unitTypes
    }

    /// A Docker container name: `[A-Za-z0-9][A-Za-z0-9_.-]{0,127}`.
    public static let container = ParameterPattern(
        name: "container", firstCharacters: ASCIICharacterClass("A-Za-z0-9")!, characters: ASCIICharacterClass("A-Za-z0-9_.-")!,
        length: 1...128)
    /// A systemd unit: `[A-Za-z0-9][A-Za-z0-9@_.:-]{0,127}`, naming no unit type but `.service`,
    /// `.timer` or `.socket` (`nginx`, `nginx.service`, `wg-quick@wg0`; never `reboot.target`).
    public static let unit = ParameterPattern(
        name: "unit", firstCharacters: ASCIICharacterClass("A-Za-z0-9")!, characters: ASCIICharacterClass("A-Za-z0-9@_.:-")!,
        length: 1...128, unitTypes: ["service", "timer", "socket"])
    /// A network interface name as Linux allows it: `[A-Za-z0-9][A-Za-z0-9_.-]{0,14}`.
    public static let interface = ParameterPattern(
        name: "interface", firstCharacters: ASCIICharacterClass("A-Za-z0-9")!, characters: ASCIICharacterClass("A-Za-z0-9_.-")!,
        length: 1...15)
    /// A line count: `[0-9]{1,4}`.
    public static let lines = ParameterPattern(
        name: "lines", firstCharacters: ASCIICharacterClass("0-9")!, characters: ASCIICharacterClass("0-9")!, length: 1...4)
    /// A Docker Compose project name: `[a-z0-9][a-z0-9_-]{0,62}`.
    public static let project = ParameterPattern(
        name: "project", firstCharacters: ASCIICharacterClass("a-z0-9")!, characters: ASCIICharacterClass("a-z0-9_-")!,
        length: 1...63)

    /// The built-in patterns by name.
    public static let builtIn: [String: ParameterPattern] = [
        "container": .container, "unit": .unit, "interface": .interface, "lines": .lines, "project": .project,
    ]

    /// Why `value` does not match, or nil when it does.
    ///
    /// The reason never repeats the value: it names the rule and, for a bad character, that
    /// character's code point, so it is safe to log and to show on Discord.
    ///
    /// - Parameter value: The untrusted value, from an alert label or the LLM.
    /// - Returns: nil on a match, else a reason such as `character ';' (U+003B) is not allowed`.
    public func mismatch(_ value: String) -> String? {
        let bytes = Array(value.utf8)
        if bytes.isEmpty { return "the value is empty" }
        if bytes.count > ParameterPattern.universalMaximumLength {
            return "the value is \(bytes.count) bytes long, over the limit of \(ParameterPattern.universalMaximumLength)"
        }
        for scalar in value.unicodeScalars where !scalar.isASCII {
            return "character \(ParameterPattern.describe(scalar)) is not ASCII"
        }
        for byte in bytes where !ParameterPattern.universalCharacters.contains(byte) {
            return "character \(ParameterPattern.describe(Unicode.Scalar(byte))) is never allowed in a parameter"
        }
        if bytes[0] == UInt8(ascii: "-") { return "the value starts with '-' and could be read as an option" }
        if value.contains("..") { return "the value contains '..'" }
        if !firstCharacters.contains(bytes[0]) {
            return "character \(ParameterPattern.describe(Unicode.Scalar(bytes[0]))) may not start a \(name) (allowed: [\(firstCharacters)])"
        }
        for byte in bytes.dropFirst() where !characters.contains(byte) {
            return "character \(ParameterPattern.describe(Unicode.Scalar(byte))) is not allowed in a \(name) (allowed: [\(characters)])"
        }
        if !length.contains(bytes.count) {
            return "a \(name) is \(length.lowerBound) to \(length.upperBound) characters long, this one is \(bytes.count)"
        }
        if let unitTypes, let dot = value.lastIndex(of: ".") {
            let type = String(value[value.index(after: dot)...])
            if ParameterPattern.systemdUnitTypes.contains(type), !unitTypes.contains(type) {
                return "a \(name) may name only a \(unitTypes.sorted().map { "." + $0 }.joined(separator: ", ")) unit, not a .\(type) unit"
            }
        }
        return nil
    }

    /// True when `value` matches (see `mismatch(_:)`).
    ///
    /// - Parameter value: The untrusted value.
    public func matches(_ value: String) -> Bool { mismatch(value) == nil }

    /// What is wrong with the pattern itself, for the catalog's `problems` (empty when nothing).
    public var problems: [String] {
        var out: [String] = []
        for (label, set) in [("first_characters", firstCharacters), ("characters", characters)]
        where !set.isSubset(of: ParameterPattern.universalCharacters) {
            out.append(
                "\(label) allows \(set.members(notIn: ParameterPattern.universalCharacters).debugDescription), which a parameter may never hold")
        }
        if firstCharacters.contains(UInt8(ascii: "-")) { out.append("first_characters allows '-', which would let a value pass as an option") }
        if length.lowerBound < 1 { out.append("min_length must be at least 1") }
        if length.upperBound > ParameterPattern.universalMaximumLength {
            out.append("max_length must be at most \(ParameterPattern.universalMaximumLength)")
        }
        if let unitTypes, !unitTypes.isSubset(of: ParameterPattern.systemdUnitTypes) {
            out.append("unit_types names \(unitTypes.subtracting(ParameterPattern.systemdUnitTypes).sorted()), which are not systemd unit types")
        }
        return out
    }

    /// `name: [first][chars]{min,max}`, e.g. `container: [A-Za-z0-9][A-Za-z0-9_.-]{1,128}`.
    public var description: String {
        var out = "\(name): [\(firstCharacters)][\(characters)]{\(length.lowerBound),\(length.upperBound)}"
        if let unitTypes { out += " (unit types: \(unitTypes.sorted().joined(separator: ", ")))" }
        return out
    }

    /// `'x' (U+0078)` for printable ASCII, `U+000A` for anything else, so untrusted text is never echoed raw.
    static func describe(_ scalar: Unicode.Scalar) -> String {
        var hex = String(scalar.value, radix: 16, uppercase: true)
        while hex.count < 4 { hex = "0" + hex }
        if scalar.value >= 0x21 && scalar.value <= 0x7E { return "'\(Character(scalar))' (U+\(hex))" }
        return "U+\(hex)"
    }
}
