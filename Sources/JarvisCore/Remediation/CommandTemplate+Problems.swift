extension CommandTemplate {
    /// The characters a literal word (or a placeholder's prefix) may hold: the ones
    /// `ShellQuoting` leaves bare, so no literal ever needs quoting and none is a shell
    /// metacharacter (`;`, `|`, `&`, `$`, backtick, quotes, `<`, `>`, `*`, spaces…).
    public static let literalCharacters = ASCIICharacterClass("A-Za-z0-9_@%+=:,./-")!

    /// What is wrong with this template, in words safe to print; empty when nothing.
    ///
    /// Checks: the name's form; a non-empty argv whose program is a literal; every word's form
    /// (`TemplateWord`); literal text made only of `literalCharacters`; every placeholder
    /// declared and every declared parameter used; each parameter's pattern
    /// (`ParameterPattern.problems`); and the denylist (`Denylist.check(argv:)`) on the argv
    /// with each placeholder filled by a sample value.
    public var problems: [String] {
        var out: [String] = []
        if !CommandTemplate.isValidName(name) { out.append("the name must be [a-z0-9] words joined by '.', '_' or '-'") }
        guard let program = argv.first else {
            out.append("argv is empty")
            return out
        }
        let parsed: [TemplateWord]
        switch words {
        case .success(let words): parsed = words
        case .failure(let error):
            out.append("argv \(error)")
            return out
        }
        if case .parameter = parsed[0] { out.append("the program \(program.debugDescription) must be a literal word, not a placeholder") }
        for word in parsed {
            let literal: String
            switch word {
            case .literal(let text): literal = text
            case .parameter(let prefix, _): literal = prefix
            }
            if case .literal = word, literal.isEmpty { out.append("argv holds an empty word") }
            if let bad = literal.unicodeScalars.first(where: { !$0.isASCII || !CommandTemplate.literalCharacters.contains(UInt8($0.value)) }) {
                let shownWord = word.description.debugDescription
                out.append("argv word \(shownWord) holds \(ParameterPattern.describe(bad)), a shell metacharacter or unsafe character")
            }
        }
        let used = Set(placeholderNames)
        for name in placeholderNames where parameters[name] == nil {
            out.append("placeholder {\(name)} has no parameter pattern")
        }
        for (name, pattern) in parameters.sorted(by: { $0.key < $1.key }) {
            if !used.contains(name) { out.append("parameter \(name) is declared but not used in argv") }
            if !TemplateWord.isParameterName(name) { out.append("parameter name \(name.debugDescription) must be [a-z][a-z0-9_]*") }
            for problem in pattern.problems { out.append("parameter \(name): \(problem)") }
        }
        let sample = Dictionary(uniqueKeysWithValues: used.map { ($0, "sample") })
        if let argv = render(sample), let reason = Denylist.check(argv: argv) {
            out.append("argv is denylisted: \(reason)")
        }
        return out
    }

    /// True for `[a-z0-9]+` words joined by single `.`, `_` or `-`, at most 64 characters.
    ///
    /// - Parameter name: A template name such as `docker.restart`.
    public static func isValidName(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        guard !bytes.isEmpty, bytes.count <= 64 else { return false }
        var previousWasSeparator = true
        for byte in bytes {
            let isWordByte = (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
            if isWordByte {
                previousWasSeparator = false
            } else if byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-") {
                if previousWasSeparator { return false }
                previousWasSeparator = true
            } else {
                return false
            }
        }
        return !previousWasSeparator
    }
}
