/// The units no remediation ever acts on, on any host, by rule rather than by list of
/// examples: restarting them takes the whole machine, its logins or jarvis's way in with it.
///
/// A unit (read as a `UnitName`, so every spelling counts) is core when its base name:
///
/// - has a word meaning the machine goes down (`reboot`, `poweroff`, `halt`, `kexec`,
///   `shutdown`), as every unit that `reboot.target`, `poweroff.target`, `halt.target`,
///   `kexec.target` or `soft-reboot.target` pulls in does (`systemd-reboot`,
///   `systemd-soft-reboot`, `plymouth-poweroff`…); words are split at `-`, `_`, `.` and `@`;
/// - starts with `systemd-` (systemd's own daemons: journald, logind, udevd, networkd…);
/// - starts with `dbus` (the bus every daemon talks over);
/// - is an instance of `user@`, `user-runtime-dir@`, `getty@`, `serial-getty@`, `autovt@`
///   or `container-getty@` (sessions and consoles), or is `console-getty`;
/// - is `ssh` or `sshd`, or an instance of `ssh@` / `sshd@` (jarvis's only way in);
/// - is `init`, `emergency`, `rescue` or starts with `initrd-` (PID 1 and its boot modes).
public enum CoreUnits {
    /// Words that mean the machine goes down when the unit starts.
    static let shutdownWords: Set<String> = ["reboot", "poweroff", "halt", "kexec", "shutdown"]
    /// Template units whose instances are sessions, consoles or logins.
    static let sessionTemplates: Set<String> = [
        "user@", "user-runtime-dir@", "getty@", "serial-getty@", "autovt@", "container-getty@", "ssh@", "sshd@",
    ]
    /// Whole names that are core.
    static let exactNames: Set<String> = ["ssh", "sshd", "init", "emergency", "rescue", "console-getty"]

    /// Why `unit` is core, or nil when it is not.
    ///
    /// - Parameter unit: The unit as the policy reads it.
    /// - Returns: A short reason such as `it reboots, powers off or halts the machine`.
    public static func reason(_ unit: UnitName) -> String? {
        let base = unit.base
        let words = base.split(whereSeparator: { "-_.@".contains($0) }).map(String.init)
        if words.contains(where: shutdownWords.contains) { return "starting it reboots, powers off, halts or kexecs the machine" }
        if base.hasPrefix("systemd-") { return "it is one of systemd's own daemons" }
        if base.hasPrefix("dbus") { return "it is the system bus every daemon talks over" }
        if let template = unit.template, sessionTemplates.contains(template) { return "it holds user sessions, consoles or logins" }
        if exactNames.contains(base) || base.hasPrefix("initrd-") {
            return base.hasPrefix("ssh") ? "it is sshd, the only way jarvis reaches the host" : "it is PID 1 or one of its boot modes"
        }
        return nil
    }
}
