/// Commands jarvis never runs, whatever proposed them: the defence in depth behind the action
/// catalog.
///
/// The catalog alone already keeps every form below out (values are full-matched against
/// strict patterns and fill whole argv elements). The denylist checks the *final* argv again,
/// so that a careless catalog entry from the configuration, a future template or a bug in
/// rendering cannot turn into one of these. It can also check a raw command line on its own
/// (`check(commandLine:)`), e.g. a command a person pastes or one the LLM suggests in prose.
///
/// A raw line is parsed with `ShellCommandLine` (quotes, escapes, `;`, `&&`, `||`, `|`,
/// newlines, backticks, `$(…)`), wrappers such as `sudo`, `env`, `nohup`, `timeout`, `xargs`,
/// `busybox`, `command`, `exec`, `systemd-run` and `script` are looked through, `sh -c`,
/// `bash -c`, `sh <<< …`, `eval`, `su -c`, `env -S`, `watch`, `find -exec`, `docker exec|run`
/// and `ssh HOST …` are checked recursively, and a program is known by its base name
/// (`/bin/rm` is `rm`, case ignored). What it rejects:
///
/// - `rm` with recursive and force in any spelling (`-rf`, `-r -f`, `-fr`, `-Rf`,
///   `--recursive --force`), and `rm --no-preserve-root`;
/// - `find … -delete`, `find … -exec rm`; `mkfs*`, `mke2fs`, `mkswap`; `dd … of=`;
///   `shred`, `wipefs`, `blkdiscard`, `fdisk`, `sfdisk`, `sgdisk`, `cfdisk`, `parted`;
/// - a download piped into an interpreter (`curl … | sh`), or downloaded and then run
///   (`curl -o x … && bash x`, `bash <(curl …)`, `sh -c "$(curl …)"`), `chmod +x x && ./x`,
///   anything piped into a shell (`… | base64 -d | sh`), and code handed to an interpreter
///   on the command line, which cannot be read (`python -c`, `perl -e`, `node -e`, `php -r`);
/// - `docker exec … sh -c` (any shell inside a container), `docker … prune … --volumes`,
///   `docker system prune`, `docker container prune`, `docker volume rm|prune`, `docker rm -v`,
///   `docker compose down -v`;
/// - `systemctl stop|disable|mask|kill`, `service X stop`, starting or isolating a `.target`,
///   `reboot`, `shutdown`, `poweroff`, `halt`, `kexec`, `systemctl reboot…`, `init N`, `telinit`;
/// - any firewall command (`iptables*`, `ip6tables*`, `nft`, `ufw`, `firewall-cmd`, `ebtables`,
///   `arptables`); package installs and removals (`apt`, `apt-get`, `aptitude`, `yum`, `dnf`,
///   `zypper`, `dpkg -i/-r/-P`, `rpm -i/-U/-e`, `apk add/del`, `pip install`, `snap`,
///   `flatpak`, `pacman -S/-R/-U`, `gem`, `brew`); `sed -i`, `perl -i`;
/// - writes into system paths: redirections (`> /etc/…`, `>> /boot/…`, `> /dev/sda`),
///   `tee`, `cp`, `mv`, `install`, `ln`, `truncate` into them; `chmod -R`, `chown -R`,
///   `chgrp -R`, and chmod/chown of a system path;
/// - `kill` of PID 1 or -1 (`kill -9 1`), `pkill`/`killall` of init, systemd or sshd,
///   `killall5`; `crontab -r`; `alias` definitions; the fork bomb `:(){ :|:& };:`;
/// - a program whose name is only known at run time (`$CMD`, `$(…)`, a glob such as `/bin/r?`).
///
/// System paths are `/`, `/etc`, `/boot`, `/bin`, `/sbin`, `/usr`, `/lib*`, `/sys`, `/proc`,
/// `/root`, `/var/lib`, `/var/spool`, `/dev` (but `/dev/null`, `/dev/stdout`… are fine), any
/// `.ssh` folder, and any path with a `..` component.
///
/// Reasons name the rule and show the offending command (control characters replaced,
/// shortened), e.g. ``recursive forced removal (`rm -r -f /var/lib/x`)``.
public enum Denylist {
    /// Why a raw shell command line must not run, or nil when no rule matches.
    ///
    /// - Parameter commandLine: The line as a shell would read it; untrusted.
    /// - Returns: The reason, naming the rule and the command it matched, or nil.
    public static func check(commandLine: String) -> String? {
        check(line: commandLine, depth: 0)
    }

    /// Why an argv must not run, or nil when no rule matches.
    ///
    /// The argv is checked as exact words (what the local executor runs, and what the quoted
    /// SSH command line means), and then once more as the line its words make when joined with
    /// spaces unquoted: what a shell would run if the quoting were ever lost.
    ///
    /// - Parameter argv: The program and its arguments.
    /// - Returns: The reason, or nil.
    public static func check(argv: [String]) -> String? {
        guard !argv.isEmpty else { return nil }
        if let reason = checkSimple(words: argv, computed: [], substitutions: [], depth: 0) { return reason }
        return check(line: argv.joined(separator: " "), depth: 0)
    }

    /// How deep `sh -c`, `eval` and substitutions are followed; deeper is rejected.
    static let maximumDepth = 8

    static func check(line: String, depth: Int) -> String? {
        guard depth <= maximumDepth else { return "commands nested too deeply to check (`\(shown(line))`)" }
        if let reason = forkBomb(line) { return reason }
        let parsed = ShellCommandLine.parse(line)
        if parsed.tooDeep { return "command substitutions nested too deeply to check (`\(shown(line))`)" }
        return check(parsed: parsed, depth: depth)
    }

    static func check(parsed: ShellCommandLine, depth: Int) -> String? {
        guard depth <= maximumDepth else { return "commands nested too deeply to check" }
        for command in parsed.commands {
            for redirect in command.redirects where redirect.writes && isSystemPath(redirect.target) {
                return "write into a system path (`\(redirect.op) \(shown(redirect.target))`)"
            }
            if let hereString = command.redirects.first(where: { $0.op == "<<<" }),
                let program = command.words.dropFirst(unwrap(command.words).start).first,
                shells.contains(programName(program)) || programName(program) == "eval"
            {
                if let reason = check(line: hereString.target, depth: depth + 1) { return reason }
            }
            for substitution in command.substitutions {
                if let reason = check(parsed: substitution, depth: depth + 1) { return reason }
            }
            if let reason = checkSimple(
                words: command.words, computed: command.computedWords, substitutions: command.substitutions, depth: depth)
            {
                return reason
            }
        }
        return checkSequence(parsed.commands)
    }

    /// A simple command's words with the wrappers (`sudo`, `env`, `nohup`…) looked through.
    struct Unwrapped {
        /// Index of the real program in the words (== count when there is none).
        var start: Int
        /// The first word after the first wrapper, nil without wrappers. Option tables can be
        /// wrong about which options take a value, so every word from here to two past `start`
        /// is also tried as the program.
        var firstCandidate: Int?
        /// Command lines given to wrappers as strings (`env -S "…"`, `flock -c "…"`).
        var nested: [String]
    }

    static func checkSimple(words: [String], computed: Set<Int>, substitutions: [ShellCommandLine], depth: Int) -> String? {
        guard depth <= maximumDepth else { return "commands nested too deeply to check" }
        let unwrapped = unwrap(words)
        for line in unwrapped.nested {
            if let reason = check(line: line, depth: depth + 1) { return reason }
        }
        if unwrapped.start < words.count {
            let program = words[unwrapped.start]
            if computed.contains(unwrapped.start) || program.contains(where: { "*?[".contains($0) }) {
                return "the program's name is only known at run time (`\(shown(words[unwrapped.start...]))`)"
            }
            if let reason = rule(
                program: program, arguments: Array(words[(unwrapped.start + 1)...]), shownCommand: shown(words[unwrapped.start...]),
                substitutions: substitutions, depth: depth)
            {
                return reason
            }
        }
        guard let firstCandidate = unwrapped.firstCandidate else { return nil }
        for candidate in firstCandidate..<min(unwrapped.start + 3, words.count) where candidate != unwrapped.start {
            let word = words[candidate]
            guard !word.hasPrefix("-"), !isAssignment(word) else { continue }
            if let reason = rule(
                program: word, arguments: Array(words[(candidate + 1)...]), shownCommand: shown(words[candidate...]),
                substitutions: substitutions, depth: depth)
            {
                return reason
            }
        }
        return nil
    }

    /// The base name of a program, lower-cased: `/usr/bin/RM` → `rm`.
    static func programName(_ word: String) -> String {
        let base = word.split(separator: "/", omittingEmptySubsequences: false).last.map(String.init) ?? word
        return base.lowercased()
    }

    /// A command for a reason: words joined, control characters as `?`, at most 120 characters.
    static func shown(_ words: some Collection<String>) -> String { shown(words.joined(separator: " ")) }

    static func shown(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            if out.unicodeScalars.count >= 120 {
                out += "…"
                break
            }
            out.unicodeScalars.append(scalar.value < 0x20 || scalar.value == 0x7F || scalar == "`" ? "?" : scalar)
        }
        return out
    }
}
