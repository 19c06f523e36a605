/// A systemd unit name read the way the policy judges it, whatever its spelling.
///
/// systemctl accepts one unit under several spellings: with or without its type suffix
/// (`nginx` means `nginx.service`), with `\x2d` escapes for `-` (`systemd\x2dreboot`), and
/// the policy also folds case and trailing dots (`SYSTEMD-REBOOT.SERVICE.`) so that no
/// spelling slips past a rule written for another. The judged form is:
///
/// 1. `\xNN` escapes decoded (only hexadecimal pairs; anything else is left as written);
/// 2. trailing dots and whitespace removed;
/// 3. lower-cased;
/// 4. split into `base` and `type` when the text after the last `.` is a systemd unit type;
///    without one, the type is `service` (what systemctl implies);
/// 5. for an instance of a template unit (`getty@tty1`, `user@0.service`), `template` is the
///    part up to and including the `@` (`getty@`, `user@`).
public struct UnitName: Sendable, Equatable, Hashable, CustomStringConvertible {
    /// The name without its type suffix, decoded and lower-cased (`systemd-reboot`, `user@0`).
    public var base: String
    /// The unit type, `service` when none is written.
    public var type: String
    /// True when the name spelled its type out.
    public var typeIsExplicit: Bool

    /// Reads a unit name as written in an argv or a label.
    ///
    /// - Parameter raw: The name as written.
    public init(_ raw: String) {
        var text = Self.decodingEscapes(raw)
        while let last = text.last, last == "." || last.isWhitespace { text.removeLast() }
        text = text.lowercased()
        if let dot = text.lastIndex(of: "."), ParameterPattern.systemdUnitTypes.contains(String(text[text.index(after: dot)...])) {
            base = String(text[..<dot])
            type = String(text[text.index(after: dot)...])
            typeIsExplicit = true
        } else {
            base = text
            type = "service"
            typeIsExplicit = false
        }
        while let last = base.last, last == "." { base.removeLast() }
    }

    /// True for a service unit (written `.service` or with no type).
    public var isService: Bool { type == "service" }

    /// For a template instance, the part up to and including `@` (`getty@`); nil otherwise.
    public var template: String? {
        guard let at = base.firstIndex(of: "@") else { return nil }
        return String(base[...at])
    }

    /// `base.type`, e.g. `systemd-reboot.service`.
    public var description: String { base + "." + type }

    /// Decodes `\xNN` escapes (systemd's way of writing bytes such as `-` and `/` in names).
    static func decodingEscapes(_ raw: String) -> String {
        guard raw.contains("\\") else { return raw }
        var bytes: [UInt8] = []
        let input = Array(raw.utf8)
        var index = 0
        while index < input.count {
            if input[index] == UInt8(ascii: "\\"), index + 3 < input.count, input[index + 1] | 0x20 == UInt8(ascii: "x"),
                let high = JSONScanner.hexValue(input[index + 2]), let low = JSONScanner.hexValue(input[index + 3])
            {
                bytes.append(high << 4 | low)
                index += 4
                continue
            }
            bytes.append(input[index])
            index += 1
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
