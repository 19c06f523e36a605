extension Denylist {
    /// Directories whose programs are run by absolute path without suspicion (`/usr/bin/docker`).
    static let systemProgramDirectories = ["/bin/", "/sbin/", "/usr/bin/", "/usr/sbin/", "/usr/local/bin/", "/usr/local/sbin/"]

    /// Rules across the simple commands of one line: a download piped into an interpreter, a
    /// download followed by running a file, and `chmod +x` followed by running a file.
    ///
    /// - Parameter commands: The line's simple commands, in order.
    static func checkSequence(_ commands: [ShellCommandLine.SimpleCommand]) -> String? {
        let programs: [(name: String, words: [String])] = commands.map { command in
            let start = unwrap(command.words).start
            let words = Array(command.words[start...])
            return (words.first.map(programName) ?? "", words)
        }
        for (index, program) in programs.enumerated() {
            let isDownload = downloaders.contains(program.name)
            let isMakeExecutable = program.name == "chmod" && program.words.dropFirst().contains(where: makesExecutable)
            guard isDownload || isMakeExecutable else { continue }
            var piped = true
            for later in (index + 1)..<programs.count {
                piped = piped && commands[later].pipedFromPrevious
                let next = programs[later]
                let runsScriptFile = isInterpreter(next.name) && next.words.dropFirst().contains(where: { !$0.hasPrefix("-") })
                if isDownload, piped, isInterpreter(next.name) || next.name == "source" || next.name == "." {
                    let pipeline = "\(shown(programs[index].words)) | \(shown(next.words))"
                    return "download piped into an interpreter, \(program.name) … | \(next.name) (`\(pipeline)`)"
                }
                if isDownload,
                    runsScriptFile || next.name == "source" || next.name == "." || runsFileByPath(next.words.first)
                        || (next.name == "chmod" && next.words.dropFirst().contains(where: makesExecutable))
                {
                    return "download then execute, \(program.name) … then \(next.name) (`\(shown(programs[index].words)) … \(shown(next.words))`)"
                }
                if isMakeExecutable, runsScriptFile || runsFileByPath(next.words.first) {
                    return "make executable then run, chmod +x … then \(next.name) (`\(shown(programs[index].words)) … \(shown(next.words))`)"
                }
            }
        }
        for (index, program) in programs.enumerated() where index > 0 && commands[index].pipedFromPrevious && shells.contains(program.name) {
            return "input piped into a shell, … | \(program.name) (`\(shown(programs[index - 1].words)) | \(shown(program.words))`)"
        }
        return nil
    }

    /// True for a chmod mode that adds execute permission: `+x`, `u+x`, `a=rwx`, `755`, `0700`.
    static func makesExecutable(_ mode: String) -> Bool {
        if !mode.isEmpty, mode.count <= 4, mode.allSatisfy({ ("0"..."7").contains($0) }) {
            return mode.suffix(3).contains(where: { "1357".contains($0) })
        }
        return mode.split(separator: ",").contains { clause in
            guard let op = clause.firstIndex(where: { $0 == "+" || $0 == "=" }) else { return false }
            return clause[op...].contains("x") || clause[op...].contains("X")
        }
    }

    /// True when a program word runs a file by path outside the system program directories (`./x`, `/tmp/x`).
    static func runsFileByPath(_ word: String?) -> Bool {
        guard let word, word.contains("/") else { return false }
        return !systemProgramDirectories.contains(where: { word.hasPrefix($0) && !word.dropFirst($0.count).contains("/") })
    }

    /// The fork bomb `name(){ name|name& };name`, in any spacing, for any function name.
    ///
    /// - Parameter line: A raw command line.
    static func forkBomb(_ line: String) -> String? {
        let compact = Array(line.unicodeScalars.filter { $0 != " " && $0 != "\t" && $0 != "\n" && $0 != "\r" })
        let opener: [Unicode.Scalar] = ["(", ")", "{"]
        var index = 0
        while index + 3 <= compact.count {
            defer { index += 1 }
            guard Array(compact[index..<(index + 3)]) == opener else { continue }
            var nameStart = index
            while nameStart > 0, !";&|(){}".unicodeScalars.contains(compact[nameStart - 1]) { nameStart -= 1 }
            let name = Array(compact[nameStart..<index])
            guard !name.isEmpty else { continue }
            let body = Array(compact[(index + 3)...].prefix(while: { $0 != "}" }))
            let selfPipe = name + ["|"] + name
            if body.count >= selfPipe.count,
                (0...(body.count - selfPipe.count)).contains(where: { Array(body[$0..<($0 + selfPipe.count)]) == selfPipe })
            {
                return "fork bomb (`\(shown(line))`)"
            }
        }
        return nil
    }

    /// True for a path a remediation must never write to; see `Denylist`.
    ///
    /// - Parameter path: A path as written (absolute or relative).
    static func isSystemPath(_ path: String) -> Bool {
        guard !path.isEmpty else { return false }
        let components = path.split(separator: "/", omittingEmptySubsequences: true)
        if components.contains("..") || components.contains(".ssh") { return true }
        guard path.hasPrefix("/") else { return false }
        let parts = components.filter { $0 != "." }
        guard let first = parts.first else { return true }
        switch first {
        case "etc", "boot", "bin", "sbin", "usr", "lib", "lib32", "lib64", "libx32", "sys", "proc", "root":
            return true
        case "var":
            return parts.count < 2 || ["lib", "spool"].contains(parts[1])
        case "dev":
            guard parts.count >= 2 else { return true }
            return !["null", "zero", "full", "stdout", "stderr", "stdin", "tty", "fd", "random", "urandom"].contains(parts[1])
        default:
            return false
        }
    }
}
