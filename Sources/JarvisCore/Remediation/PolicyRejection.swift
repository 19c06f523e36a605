/// Why the command policy refused a proposal: a stable code (for the remediation log and for
/// tests) and a message safe to log and to show on Discord (values are described, never echoed raw).
public struct PolicyRejection: Sendable, Equatable, Hashable, CustomStringConvertible {
    /// The rule that refused.
    public struct Code: Sendable, Equatable, Hashable, CustomStringConvertible {
        private enum Value: String, Sendable {
            case hostMismatch = "host_mismatch"
            case unknownAction = "unknown_action"
            case actionDisabled = "action_disabled"
            case invalidTemplate = "invalid_template"
            case missingParameter = "missing_parameter"
            case unknownParameter = "unknown_parameter"
            case invalidParameter = "invalid_parameter"
            case denylisted
            case protectedTarget = "protected_target"
            case unitType = "unit_type"
            case coreUnit = "core_unit"
        }
        private let value: Value

        /// The proposal names a different host than the one it would run on.
        public static let hostMismatch = Code(value: .hostMismatch)
        /// No catalog template has that name.
        public static let unknownAction = Code(value: .unknownAction)
        /// The template is turned off for this host.
        public static let actionDisabled = Code(value: .actionDisabled)
        /// The template itself has problems (see `CommandTemplate.problems`).
        public static let invalidTemplate = Code(value: .invalidTemplate)
        /// A placeholder has no value.
        public static let missingParameter = Code(value: .missingParameter)
        /// A value was given for a parameter the template does not have.
        public static let unknownParameter = Code(value: .unknownParameter)
        /// A value does not match its parameter's pattern.
        public static let invalidParameter = Code(value: .invalidParameter)
        /// The final argv matches the denylist.
        public static let denylisted = Code(value: .denylisted)
        /// The command would act on jarvis itself, its database, or the host it runs on.
        public static let protectedTarget = Code(value: .protectedTarget)
        /// An acting command names a unit that is not a `.service` (a target, socket, mount…).
        public static let unitType = Code(value: .unitType)
        /// An acting command names a core unit (`CoreUnits`): reboot, systemd, D-Bus, logins, sshd.
        public static let coreUnit = Code(value: .coreUnit)

        /// The snake_case name, e.g. `invalid_parameter`.
        public var description: String { value.rawValue }
    }

    /// The rule that refused.
    public var code: Code
    /// What was refused and why.
    public var message: String

    /// `code: message`.
    public var description: String { "\(code): \(message)" }
}
