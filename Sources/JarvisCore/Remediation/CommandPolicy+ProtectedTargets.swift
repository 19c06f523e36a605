extension CommandPolicy {
    /// systemctl verbs that only read.
    static let readOnlySystemctlVerbs: Set<String> = [
        "status", "show", "cat", "is-active", "is-enabled", "is-failed", "is-system-running", "list-units", "list-unit-files",
        "list-timers", "list-sockets", "list-dependencies", "list-jobs", "help", "get-default",
    ]
    /// docker container verbs that act on the named containers.
    static let actingContainerVerbs: Set<String> = [
        "start", "restart", "stop", "kill", "rm", "remove", "pause", "unpause", "update", "exec", "rename", "attach", "commit", "cp",
    ]

    /// Why an argv acts on a protected target, or nil: systemctl/service verbs on protected
    /// units, docker container verbs on protected containers, `docker compose -p` on a protected
    /// project, and network changes on the jarvis host.
    ///
    /// - Parameters:
    ///   - argv: The final argv.
    ///   - context: The protected names and whether the host is jarvis's own.
    static func protectedTarget(argv: [String], context: PolicyContext) -> String? {
        guard let first = argv.first else { return nil }
        let program = Denylist.programName(first)
        let args = Array(argv.dropFirst())
        let operands = args.filter { !$0.hasPrefix("-") }
        if let (verb, units) = actedUnits(argv: argv) {
            for unit in units {
                if let match = context.protection(ofUnit: unit) { return unitMessage(unit, verb: verb, match: match, context: context) }
            }
            return nil
        }
        switch program {
        case "docker", "podman":
            guard let command = operands.first else { return nil }
            if command == "compose" {
                for (index, arg) in args.enumerated() {
                    var project: String?
                    if arg == "-p" || arg == "--project-name", index + 1 < args.count { project = args[index + 1] }
                    if arg.hasPrefix("--project-name=") { project = String(arg.dropFirst("--project-name=".count)) }
                    if let project, let match = context.protection(ofContainer: project) {
                        return "Compose project \(describe(project)) is protected (\(match)): jarvis never restarts itself or its database"
                    }
                }
                return nil
            }
            let verbIndex = command == "container" ? 1 : 0
            guard operands.count > verbIndex, actingContainerVerbs.contains(operands[verbIndex]) else { return nil }
            for container in operands.dropFirst(verbIndex + 1) {
                if let match = context.protection(ofContainer: container) {
                    return "container \(describe(container)) is protected (\(match)): jarvis never \(operands[verbIndex])s itself or its database"
                }
            }
        case "wg-quick", "ifdown", "ifup", "netplan", "nmcli":
            if context.targetIsJarvisHost { return "\(program) changes the network of the host jarvis runs on" }
        case "ip":
            if context.targetIsJarvisHost, operands.contains(where: { ["set", "add", "del", "delete", "flush", "change", "replace"].contains($0) }) {
                return "ip changes the network of the host jarvis runs on"
            }
        default:
            break
        }
        return nil
    }

    /// The verb and the units of an acting `systemctl VERB UNIT…` or `service UNIT VERB`
    /// command; nil for anything else (read-only verbs included).
    ///
    /// - Parameter argv: The final argv.
    static func actedUnits(argv: [String]) -> (verb: String, units: [String])? {
        guard let first = argv.first else { return nil }
        let operands = argv.dropFirst().filter { !$0.hasPrefix("-") }
        switch Denylist.programName(first) {
        case "systemctl":
            guard let verb = operands.first, !readOnlySystemctlVerbs.contains(verb) else { return nil }
            return (verb, Array(operands.dropFirst()))
        case "service":
            guard operands.count >= 2, operands[1] != "status" else { return nil }
            return (operands[1], [operands[0]])
        default:
            return nil
        }
    }

    private static func unitMessage(_ unit: String, verb: String, match: String, context: PolicyContext) -> String {
        let why =
            context.targetIsJarvisHost && PolicyContext.jarvisHostProtectedUnits.contains(match)
            ? "jarvis never \(verb)s its own host's Docker, network or database"
            : "jarvis never \(verb)s itself or its database"
        return "unit \(describe(unit)) is protected (\(match)): \(why)"
    }
}
