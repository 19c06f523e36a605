/// Why the command policy refused a proposal: a stable code (for the remediation log and for
/// tests) and a message safe to log and to show on Discord (values are described, never echoed raw).
public struct PolicyRejection: Sendable, Equatable, Hashable, CustomStringConvertible {
    /// The rule that refused; `description` is the snake_case name, e.g. `invalid_parameter`.
    public enum Code: String, Sendable, Hashable, CustomStringConvertible {
        /// The proposal names a different host than the one it would run on.
        case hostMismatch = "host_mismatch"
        /// No catalog template has that name.
        case unknownAction = "unknown_action"
        /// The template is turned off for this host.
        case actionDisabled = "action_disabled"
        /// The template itself has problems (see `CommandTemplate.problems`).
        case invalidTemplate = "invalid_template"
        /// A placeholder has no value.
        case missingParameter = "missing_parameter"
        /// A value was given for a parameter the template does not have.
        case unknownParameter = "unknown_parameter"
        /// A value does not match its parameter's pattern.
        case invalidParameter = "invalid_parameter"
        /// The final argv matches the denylist.
        case denylisted
        /// The command would act on jarvis itself, its database, or the host it runs on.
        case protectedTarget = "protected_target"
        /// An acting command names a unit that is not a `.service` (a target, socket, mount…).
        case unitType = "unit_type"
        /// An acting command names a core unit (`CoreUnits`): reboot, systemd, D-Bus, logins, sshd.
        case coreUnit = "core_unit"

        /// The snake_case name, e.g. `invalid_parameter`.
        public var description: String { rawValue }
    }

    /// The rule that refused.
    public var code: Code
    /// What was refused and why.
    public var message: String

    /// `code: message`.
    public var description: String { "\(code): \(message)" }
}
