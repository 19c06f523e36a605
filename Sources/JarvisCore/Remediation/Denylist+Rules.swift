extension Denylist {
    /// Shells whose `-c` string is checked, and which must never receive a download.
    static let shells: Set<String> = ["sh", "bash", "zsh", "dash", "ksh", "mksh", "ash", "fish", "csh", "tcsh", "rbash", "yash", "posh"]
    /// Programs that run a script: the shells, and the common script interpreters.
    static let interpreters: Set<String> = shells.union(["python", "python2", "python3", "perl", "ruby", "php", "node", "nodejs", "lua"])
    /// Programs that fetch from the network.
    static let downloaders: Set<String> = ["curl", "wget", "fetch", "aria2c", "lwp-download", "lwp-request", "http", "https"]

    /// True for a shell or script interpreter (`python3.11` included).
    static func isInterpreter(_ name: String) -> Bool {
        interpreters.contains(name) || name.hasPrefix("python")
    }

    /// Why one simple command must not run, or nil.
    ///
    /// - Parameters:
    ///   - program: The program word (a path or a name).
    ///   - arguments: The words after it.
    ///   - shownCommand: The command as reasons show it.
    ///   - substitutions: The substitutions in the command's words (for `bash <(curl …)`).
    ///   - depth: How deep in `sh -c`/`eval`/substitutions this is.
    static func rule(
        program: String, arguments args: [String], shownCommand: String, substitutions: [ShellCommandLine], depth: Int
    ) -> String? {
        let name = programName(program)
        let shown = "(`\(shownCommand)`)"
        switch name {
        case "rm":
            var recursive = false
            var force = false
            for arg in args {
                if arg == "--" { break }
                if arg == "--no-preserve-root" { return "rm --no-preserve-root \(shown)" }
                if arg == "--recursive" { recursive = true }
                if arg == "--force" { force = true }
                if arg.hasPrefix("-"), !arg.hasPrefix("--") {
                    if arg.contains("r") || arg.contains("R") { recursive = true }
                    if arg.contains("f") { force = true }
                }
            }
            if recursive && force { return "recursive forced removal, rm -r -f \(shown)" }
        case "find":
            if args.contains("-delete") { return "find -delete \(shown)" }
            for (index, arg) in args.enumerated() where ["-exec", "-execdir", "-ok", "-okdir"].contains(arg) {
                var inner = Array(args[(index + 1)...])
                if let end = inner.firstIndex(where: { $0 == ";" || $0 == "+" }) { inner = Array(inner[..<end]) }
                guard let first = inner.first else { continue }
                if ["rm", "shred", "unlink", "rmdir"].contains(programName(first)) { return "find \(arg) \(programName(first)) \(shown)" }
                if let reason = checkSimple(words: inner, computed: [], substitutions: [], depth: depth + 1) {
                    return "find \(arg) runs a denied command: \(reason)"
                }
            }
        case _ where name.hasPrefix("mkfs") || ["mke2fs", "mkswap", "mkdosfs", "mkntfs", "mkexfatfs"].contains(name):
            return "file system creation, mkfs \(shown)"
        case "dd":
            if args.contains(where: { $0.hasPrefix("of=") }) { return "dd writing with of= \(shown)" }
        case "shred", "wipefs", "blkdiscard", "fdisk", "sfdisk", "sgdisk", "cfdisk", "parted":
            return "disk wipe or partitioning, \(name) \(shown)"
        case "reboot", "shutdown", "poweroff", "halt", "kexec":
            return "reboot or shutdown, \(name) \(shown)"
        case "init":
            if !args.isEmpty { return "runlevel change, init \(args[0]) \(shown)" }
        case "telinit":
            return "runlevel change, telinit \(shown)"
        case "systemctl":
            return systemctlRule(args, shown: shown)
        case "service":
            if args.count >= 2, ["stop", "disable", "mask"].contains(args[1]) { return "stopping a service, service \(args[1]) \(shown)" }
        case "chkconfig", "update-rc.d":
            if args.contains(where: { ["off", "disable", "remove", "del", "--del"].contains($0) }) {
                return "disabling a service, \(name) \(shown)"
            }
        case _
        where name.hasPrefix("iptables") || name.hasPrefix("ip6tables") || ["nft", "ufw", "firewall-cmd", "ebtables", "arptables"].contains(name):
            return "firewall change, \(name) \(shown)"
        case "sed":
            if inPlace(args, argumentOptions: "efl", longForm: "--in-place") { return "in-place edit, sed -i \(shown)" }
        case "perl":
            if inPlace(args, argumentOptions: "eEMmIlx0CdD", longForm: nil) { return "in-place edit, perl -i \(shown)" }
            return interpreterRule(name: name, args: args, shown: shown, substitutions: substitutions, depth: depth)
        case "tee":
            if let path = args.first(where: { !$0.hasPrefix("-") && isSystemPath($0) }) {
                return "write into a system path, tee \(Denylist.shown(path)) \(shown)"
            }
        case "mv":
            if let path = args.first(where: { !$0.hasPrefix("-") && isSystemPath($0) }) {
                return "moving a system path, mv \(Denylist.shown(path)) \(shown)"
            }
        case "cp", "install", "ln", "rsync", "truncate":
            if let path = args.last(where: { !$0.hasPrefix("-") }), isSystemPath(path) {
                return "write into a system path, \(name) \(Denylist.shown(path)) \(shown)"
            }
        case "chown", "chgrp", "chmod":
            if args.contains(where: { $0 == "--recursive" || ($0.hasPrefix("-") && !$0.hasPrefix("--") && $0.contains("R")) }) {
                return "recursive \(name == "chmod" ? "permission" : "ownership") change, \(name) -R \(shown)"
            }
            if let path = args.first(where: { !$0.hasPrefix("-") && isSystemPath($0) }) {
                return "\(name) of a system path \(Denylist.shown(path)) \(shown)"
            }
        case "kill":
            var targets = args
            if let first = targets.first, first.hasPrefix("-"), first != "--" {
                targets.removeFirst(["-s", "-n", "--signal"].contains(first) ? min(2, targets.count) : 1)
            }
            if targets.first == "--" { targets.removeFirst() }
            if targets.contains("1") || targets.contains("-1") { return "killing init or every process, kill 1 or -1 \(shown)" }
        case "pkill", "killall":
            if let target = args.first(where: { ["init", "systemd", "sshd", "1", "-1"].contains($0) }) {
                return "killing \(target), \(name) \(shown)"
            }
        case "killall5":
            return "killing every process, killall5 \(shown)"
        case "crontab":
            if args.contains(where: { $0.hasPrefix("-") && !$0.hasPrefix("--") && $0.contains("r") }) {
                return "removing a crontab, crontab -r \(shown)"
            }
        case "docker", "podman":
            return dockerRule(args, program: name, shown: shown, depth: depth)
        case "docker-compose", "podman-compose":
            if composeDownWithVolumes(args) { return "compose down with its volumes, \(name) down -v \(shown)" }
        case "eval":
            return check(line: args.joined(separator: " "), depth: depth + 1)
        case "watch":
            // watch joins its words and runs them with `sh -c`.
            var index = 0
            while index < args.count, args[index].hasPrefix("-") { index += ["-n", "--interval"].contains(args[index]) ? 2 : 1 }
            return check(line: args.dropFirst(index).joined(separator: " "), depth: depth + 1)
        case "ssh":
            // The words after the destination are a command line for the remote shell.
            for arg in args where arg.contains(" ") || arg.contains(";") {
                if let reason = check(line: arg, depth: depth + 1) { return "over ssh: \(reason)" }
            }
            if let reason = scanForProgram(args, depth: depth) { return "over ssh: \(reason)" }
        case "alias":
            if args.contains(where: { $0.contains("=") }) { return "alias definition \(shown)" }
        case "su", "runuser":
            for (index, arg) in args.enumerated() {
                if arg == "-c" || arg == "--command", index + 1 < args.count {
                    if let reason = check(line: args[index + 1], depth: depth + 1) { return reason }
                } else if arg.hasPrefix("--command=") {
                    if let reason = check(line: String(arg.dropFirst("--command=".count)), depth: depth + 1) { return reason }
                } else if arg == "--" {
                    return checkSimple(words: Array(args[(index + 1)...]), computed: [], substitutions: [], depth: depth + 1)
                }
            }
        case "source", ".":
            if substitutions.contains(where: containsDownloader) { return "running a downloaded script, \(name) <(…) \(shown)" }
        default:
            if let reason = packageRule(name: name, args: args, shown: shown) { return reason }
            if isInterpreter(name) { return interpreterRule(name: name, args: args, shown: shown, substitutions: substitutions, depth: depth) }
        }
        return nil
    }

    /// `systemctl`: the verb is the first word that is not an option or an option's value.
    static func systemctlRule(_ args: [String], shown: String) -> String? {
        let optionsWithValue: Set<String> = [
            "-H", "--host", "-M", "--machine", "-t", "--type", "-p", "--property", "-s", "--signal", "-n", "--lines", "-o", "--output",
            "--state", "--kill-whom", "--kill-value", "--root", "--job-mode", "--what", "--timestamp", "--when", "--message",
            "--reboot-argument", "--boot-loader-entry", "--boot-loader-menu", "--preset-mode", "--drop-in", "--image", "--legend",
            "--check-inhibitors",
        ]
        var verb: String?
        var units: [String] = []
        var index = 0
        while index < args.count {
            let arg = args[index]
            if arg.hasPrefix("-") {
                index += optionsWithValue.contains(arg) ? 2 : 1
                continue
            }
            if verb == nil { verb = arg.lowercased() } else { units.append(arg) }
            index += 1
        }
        guard let verb else { return nil }
        switch verb {
        case "stop", "disable", "mask", "kill", "freeze":
            return "stopping, disabling or masking a unit, systemctl \(verb) \(shown)"
        case "reboot", "poweroff", "halt", "kexec", "soft-reboot", "suspend", "hibernate", "hybrid-sleep", "suspend-then-hibernate", "exit",
            "switch-root", "sleep":
            return "reboot or shutdown, systemctl \(verb) \(shown)"
        case "isolate", "rescue", "emergency", "default", "set-default":
            return "changing the system's target, systemctl \(verb) \(shown)"
        case "start", "restart", "try-restart", "reload-or-restart", "try-reload-or-restart", "condrestart", "force-reload", "reload",
            "enable", "reenable":
            if let target = units.first(where: { $0.lowercased().hasSuffix(".target") }) {
                return "starting a target unit, systemctl \(verb) \(Denylist.shown(target)) \(shown)"
            }
        default: break
        }
        return nil
    }

    /// `docker`/`podman`: prunes with volumes, volume removal, whole-system prunes, shells in containers.
    static func dockerRule(_ args: [String], program: String, shown: String, depth: Int) -> String? {
        let globalWithValue: Set<String> = [
            "-H", "--host", "-c", "--context", "--config", "-l", "--log-level", "--tlscacert", "--tlscert", "--tlskey",
        ]
        var index = 0
        while index < args.count, args[index].hasPrefix("-") { index += globalWithValue.contains(args[index]) ? 2 : 1 }
        guard index < args.count else { return nil }
        let command = args[index]
        let rest = Array(args[(index + 1)...])
        let verb = rest.first(where: { !$0.hasPrefix("-") })
        if args.contains("prune"), args.contains(where: { $0 == "--volumes" || ($0.hasPrefix("--volumes=") && $0 != "--volumes=false") }) {
            return "docker prune with --volumes \(shown)"
        }
        switch (command, verb) {
        case ("volume", "rm"), ("volume", "remove"), ("volume", "prune"):
            return "docker volume removal, \(program) volume \(verb ?? "") \(shown)"
        case ("system", "prune"), ("container", "prune"):
            return "\(program) \(command) prune removes stopped containers \(shown)"
        case ("rm", _), ("container", "rm"), ("container", "remove"):
            if rest.contains(where: { $0 == "--volumes" || ($0.hasPrefix("-") && !$0.hasPrefix("--") && $0.contains("v")) }) {
                return "container removal with its volumes, \(program) rm -v \(shown)"
            }
        case ("compose", _):
            if composeDownWithVolumes(rest) { return "compose down with its volumes, \(program) compose down -v \(shown)" }
        case ("run", _), ("create", _), ("container", "run"), ("container", "create"):
            if let reason = scanForProgram(rest, depth: depth) { return "inside a container: \(reason)" }
        case ("exec", _), ("container", "exec"):
            let execArgs = command == "exec" ? rest : Array(rest.drop(while: { $0 != "exec" }).dropFirst())
            let withValue: Set<String> = ["-e", "--env", "--env-file", "-u", "--user", "-w", "--workdir", "--detach-keys"]
            var position = 0
            while position < execArgs.count, execArgs[position].hasPrefix("-") { position += withValue.contains(execArgs[position]) ? 2 : 1 }
            let inner = Array(execArgs.dropFirst(position + 1))
            if let shell = inner.first(where: { shells.contains(programName($0)) }) {
                return "shell inside a container, \(program) exec … \(programName(shell)) \(shown)"
            }
            if !inner.isEmpty, let reason = checkSimple(words: inner, computed: [], substitutions: [], depth: depth + 1) {
                return "inside a container: \(reason)"
            }
            if let reason = scanForProgram(execArgs, depth: depth) { return "inside a container: \(reason)" }
        default: break
        }
        return nil
    }

    /// Tries every word as the start of a command, for programs whose own options are too many
    /// to parse (`docker run IMAGE CMD…`, `ssh HOST CMD…`): a false alarm on an odd container
    /// name is acceptable, a missed `rm -rf` is not.
    static func scanForProgram(_ words: [String], depth: Int) -> String? {
        for (index, word) in words.enumerated() where !word.hasPrefix("-") {
            if let reason = checkSimple(words: Array(words[index...]), computed: [], substitutions: [], depth: depth + 1) { return reason }
        }
        return nil
    }

    /// `compose down` with `-v`/`--volumes`.
    static func composeDownWithVolumes(_ args: [String]) -> Bool {
        args.contains("down") && args.contains(where: { $0 == "--volumes" || ($0.hasPrefix("-") && !$0.hasPrefix("--") && $0.contains("v")) })
    }

    /// True when the options hold `-i` (in a cluster, before any option that takes the rest of
    /// the cluster as its value) or the long form.
    static func inPlace(_ args: [String], argumentOptions: String, longForm: String?) -> Bool {
        for arg in args {
            if arg == "--" { return false }
            if let longForm, arg.hasPrefix(longForm) { return true }
            guard arg.hasPrefix("-"), !arg.hasPrefix("--") else { continue }
            for character in arg.dropFirst() {
                if character == "i" { return true }
                if argumentOptions.contains(character) { break }
            }
        }
        return false
    }

    /// Package managers: anything but a read-only query.
    static func packageRule(name: String, args: [String], shown: String) -> String? {
        let verb = args.first(where: { !$0.hasPrefix("-") })?.lowercased()
        let denied = "package install or removal, \(name) \(verb ?? "") \(shown)"
        switch name {
        case "apt", "apt-get", "aptitude", "yum", "dnf", "microdnf", "zypper", "tdnf", "apt-cache":
            let readOnly: Set<String> = [
                "list", "search", "show", "info", "policy", "madison", "depends", "rdepends", "changelog", "provides", "repolist",
                "check-update", "showpkg", "showsrc", "stats", "help", "se", "if",
            ]
            if let verb, !readOnly.contains(verb) { return denied }
        case "dpkg":
            let denying: Set<String> = ["--install", "--remove", "--purge", "--unpack", "--configure", "--set-selections", "--clear-selections"]
            if args.contains(where: {
                denying.contains($0) || ($0.hasPrefix("-") && !$0.hasPrefix("--") && ($0.contains("i") || $0.contains("r") || $0.contains("P")))
            }) {
                return "package install or removal, dpkg \(shown)"
            }
        case "rpm":
            if args.contains(where: {
                ["--install", "--upgrade", "--freshen", "--erase", "--reinstall"].contains($0)
                    || ($0.hasPrefix("-") && !$0.hasPrefix("--") && "iUFe".contains($0.dropFirst().first ?? " "))
            }) {
                return "package install or removal, rpm \(shown)"
            }
        case "apk":
            if let verb, ["add", "del", "upgrade", "fix"].contains(verb) { return denied }
        case _ where name.hasPrefix("pip") || name == "uv":
            if let verb, ["install", "uninstall", "download"].contains(verb) || (name == "uv" && verb == "pip") { return denied }
        case "snap", "flatpak", "gem", "brew", "port":
            if let verb, ["install", "remove", "uninstall", "refresh", "revert", "update", "upgrade", "reinstall", "disable"].contains(verb) {
                return denied
            }
        case "pacman", "yay", "paru":
            if args.contains(where: {
                ["--sync", "--remove", "--upgrade"].contains($0) || $0.hasPrefix("-S") || $0.hasPrefix("-R") || $0.hasPrefix("-U")
            }) {
                return "package install or removal, \(name) \(shown)"
            }
        default: break
        }
        return nil
    }

    /// Shells and interpreters: `-c` strings are checked; a download fed to them is denied.
    static func interpreterRule(name: String, args: [String], shown: String, substitutions: [ShellCommandLine], depth: Int) -> String? {
        if substitutions.contains(where: containsDownloader) { return "running a downloaded script, \(name) with curl/wget output \(shown)" }
        if name.hasPrefix("python"), let module = args.firstIndex(of: "-m"), module + 2 < args.count, args[module + 1].hasPrefix("pip"),
            ["install", "uninstall"].contains(args[module + 2])
        {
            return "package install or removal, \(name) -m pip \(args[module + 2]) \(shown)"
        }
        guard shells.contains(name) else {
            if let inline = inlineCodeOption(name: name, args: args) { return "inline script for an interpreter, \(name) \(inline) \(shown)" }
            return nil
        }
        var commandString = false
        var index = 0
        while index < args.count {
            let arg = args[index]
            if arg == "--" || arg == "-" { break }
            if arg.hasPrefix("--") {
                index += ["--rcfile", "--init-file"].contains(arg) ? 2 : 1
                continue
            }
            if arg.hasPrefix("-") || arg.hasPrefix("+") {
                if arg.hasPrefix("-"), arg.dropFirst().contains("c") { commandString = true }
                index += ["-o", "+o", "-O", "+O"].contains(arg) ? 2 : 1
                continue
            }
            if commandString { return check(line: arg, depth: depth + 1) }
            break
        }
        return nil
    }

    /// The option that hands an interpreter code on the command line (`python -c`, `perl -e`,
    /// `node --eval`, `php -r`), which the denylist cannot read: such code is refused outright.
    static func inlineCodeOption(name: String, args: [String]) -> String? {
        let letters: String
        switch name {
        case _ where name.hasPrefix("python"): letters = "c"
        case "perl", "ruby", "lua": letters = "eE"
        case "node", "nodejs": letters = "ep"
        case "php": letters = "rBRFE"
        default: return nil
        }
        for arg in args {
            if arg == "--" || !arg.hasPrefix("-") { return nil }
            if ["--eval", "--print", "--command"].contains(arg) || arg.hasPrefix("--eval=") { return arg }
            if !arg.hasPrefix("--"), arg.dropFirst().contains(where: { letters.contains($0) }) { return arg }
        }
        return nil
    }

    /// True when a parsed line (or one of its substitutions) runs a downloader.
    static func containsDownloader(_ line: ShellCommandLine) -> Bool {
        line.commands.contains { command in
            let unwrapped = unwrap(command.words)
            if unwrapped.start < command.words.count, downloaders.contains(programName(command.words[unwrapped.start])) { return true }
            return command.substitutions.contains(where: containsDownloader)
        }
    }
}
