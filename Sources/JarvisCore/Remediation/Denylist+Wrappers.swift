extension Denylist {
    /// A program that runs another program given as its remaining words.
    struct Wrapper {
        /// Options that take the next word as their value.
        var optionsWithValue: Set<String> = []
        /// Options whose value is itself a command line (`env -S`, `flock -c`).
        var optionsWithCommandLine: Set<String> = []
        /// Words to skip after the options before the program (`timeout DURATION`, `chroot DIR`).
        var positional = 0
    }

    /// The wrappers looked through, by program name; shell keywords that may start a command
    /// (`if`, `then`, `do`, `!`, `{`…) are treated as wrappers with nothing to skip.
    static let wrappers: [String: Wrapper] = {
        var table: [String: Wrapper] = [
            "sudo": Wrapper(optionsWithValue: [
                "-u", "-g", "-h", "-p", "-C", "-D", "-r", "-t", "-U", "-T", "--user", "--group", "--host", "--prompt", "--close-from",
                "--chdir", "--role", "--type", "--other-user", "--command-timeout",
            ]),
            "doas": Wrapper(optionsWithValue: ["-u", "-C"]),
            "env": Wrapper(optionsWithValue: ["-u", "--unset", "-C", "--chdir"], optionsWithCommandLine: ["-S", "--split-string"]),
            "exec": Wrapper(optionsWithValue: ["-a"]),
            "nice": Wrapper(optionsWithValue: ["-n", "--adjustment"]),
            "ionice": Wrapper(optionsWithValue: ["-c", "-n", "-p", "-P", "-u", "--class", "--classdata", "--pid", "--pgid", "--uid"]),
            "stdbuf": Wrapper(optionsWithValue: ["-i", "-o", "-e", "--input", "--output", "--error"]),
            "timeout": Wrapper(optionsWithValue: ["-s", "-k", "--signal", "--kill-after"], positional: 1),
            "chrt": Wrapper(positional: 1),
            "taskset": Wrapper(positional: 1),
            "xargs": Wrapper(optionsWithValue: [
                "-I", "-n", "-P", "-L", "-d", "-E", "-s", "-a", "--arg-file", "--delimiter", "--max-args", "--max-procs", "--max-lines",
                "--replace", "--eof", "--max-chars", "--process-slot-var",
            ]),
            "flock": Wrapper(
                optionsWithValue: ["-w", "--timeout", "-E", "--conflict-exit-code"], optionsWithCommandLine: ["-c", "--command"], positional: 1),
            "chroot": Wrapper(optionsWithValue: ["--userspec", "--groups"], positional: 1),
            "script": Wrapper(
                optionsWithValue: [
                    "-E", "--echo", "-I", "--log-in", "-O", "--log-out", "-B", "--log-io", "-T", "--log-timing", "-m", "--logging-format",
                ], optionsWithCommandLine: ["-c", "--command"]),
            "systemd-run": Wrapper(optionsWithValue: [
                "-u", "--unit", "-p", "--property", "-M", "--machine", "-H", "--host", "-E", "--setenv", "--description", "--slice", "--uid",
                "--gid", "--nice", "--working-directory", "--on-active", "--on-boot", "--on-startup", "--on-unit-active", "--on-unit-inactive",
                "--on-calendar", "--timer-property", "--path-property", "--socket-property", "--service-type",
            ]),
            "pkexec": Wrapper(optionsWithValue: ["--user"]),
            "unshare": Wrapper(optionsWithValue: ["-S", "--setuid", "-G", "--setgid", "-R", "--root", "-w", "--wd"]),
            "nsenter": Wrapper(optionsWithValue: ["-t", "--target", "-S", "--setuid", "-G", "--setgid", "-w", "--wd", "-r", "--root"]),
            "strace": Wrapper(optionsWithValue: ["-e", "-o", "-p", "-s", "-u", "-E", "-P", "-I", "-b", "-a", "-O", "-S", "-X"]),
        ]
        for name in [
            "nohup", "setsid", "unbuffer", "builtin", "command", "time", "busybox", "ltrace", "catchsegv", "fakeroot", "then", "do",
            "else", "elif", "if", "while", "until", "!", "{", "}", "function",
        ] {
            table[name] = Wrapper()
        }
        return table
    }()

    /// Finds the real program of a simple command: skips `NAME=value` assignments and
    /// wrappers with their options, and collects command lines handed to wrappers as strings.
    ///
    /// - Parameter words: The simple command's words.
    static func unwrap(_ words: [String]) -> Unwrapped {
        var nested: [String] = []
        var index = 0
        var firstCandidate: Int?
        while index < words.count {
            let word = words[index]
            if isAssignment(word) {
                index += 1
                continue
            }
            guard let wrapper = wrappers[programName(word)] else { break }
            index += 1
            if firstCandidate == nil { firstCandidate = index }
            skipOptions(of: wrapper, in: words, from: &index, nested: &nested)
            if wrapper.positional > 0 {
                var skipped = 0
                while skipped < wrapper.positional, index < words.count, !isAssignment(words[index]) {
                    index += 1
                    skipped += 1
                }
                // Options may follow the positional words too (`flock FILE -c "…"`).
                skipOptions(of: wrapper, in: words, from: &index, nested: &nested)
            }
        }
        let start = min(index, words.count)
        return Unwrapped(start: start, firstCandidate: firstCandidate.map { min($0, start) }, nested: nested)
    }

    /// Skips a wrapper's options from `index`, collecting the command lines given as option values.
    private static func skipOptions(of wrapper: Wrapper, in words: [String], from index: inout Int, nested: inout [String]) {
        while index < words.count {
            let option = words[index]
            if option == "--" {
                index += 1
                return
            }
            guard option.hasPrefix("-"), option.count > 1 else { return }
            let (key, attached) = splitOption(option)
            if wrapper.optionsWithCommandLine.contains(key) {
                if let attached {
                    nested.append(attached)
                    index += 1
                } else {
                    if index + 1 < words.count { nested.append(words[index + 1]) }
                    index += 2
                }
                continue
            }
            index += wrapper.optionsWithValue.contains(option) ? 2 : 1
        }
    }

    /// `--opt=value` → (`--opt`, `value`); `-Sfoo` for a one-letter option → (`-S`, `foo`).
    static func splitOption(_ option: String) -> (String, String?) {
        if option.hasPrefix("--") {
            guard let equals = option.firstIndex(of: "=") else { return (option, nil) }
            return (String(option[..<equals]), String(option[option.index(after: equals)...]))
        }
        guard option.count > 2 else { return (option, nil) }
        return (String(option.prefix(2)), String(option.dropFirst(2)))
    }

    /// True for `NAME=value` with a valid shell variable name.
    static func isAssignment(_ word: String) -> Bool {
        guard let equals = word.firstIndex(of: "="), equals != word.startIndex else { return false }
        let name = word[..<equals].unicodeScalars
        guard let first = name.first, first == "_" || (first.isASCII && first.properties.isAlphabetic) else { return false }
        return name.allSatisfy { $0 == "_" || ($0.isASCII && ($0.properties.isAlphabetic || $0.properties.numericType != nil)) }
    }
}
