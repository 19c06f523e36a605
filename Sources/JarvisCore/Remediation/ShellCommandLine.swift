/// A best-effort parse of a POSIX shell command line, made for the denylist: it says which
/// programs a line would run, with which words, redirections and command substitutions.
///
/// It understands single and double quotes, backslash escapes, `$'…'` (ANSI-C quoting, so
/// `$'\x72m'` is `rm`), comments, and splits simple commands on newlines, `;`, `&`, `&&`, `||`,
/// `|`, `|&`, `(` and `)`. Command substitutions (`$(…)`, backticks) and process substitutions
/// (`<(…)`, `>(…)`) are parsed recursively, even inside double quotes, and kept with the
/// command they appear in. Redirections (`>`, `>>`, `&>`, `2>`, `>|`, `<`…) are kept apart
/// from the words with their target. A word holding `$`, or made by a substitution, is
/// marked as computed: its value is only known at run time.
///
/// It is not a full shell grammar (no here-document bodies, `case` patterns or aliases); where
/// it is unsure it errs towards seeing more commands, which can only make the denylist stricter.
struct ShellCommandLine: Sendable, Equatable {
    /// An input or output redirection, e.g. `>>` into `/etc/hosts`.
    struct Redirect: Sendable, Equatable {
        /// The operator without its file-descriptor number: `>`, `>>`, `>|`, `&>`, `&>>`, `>&`,
        /// `<`, `<<`, `<<<`, `<>`, `<&`.
        var op: String
        /// The word after the operator (quotes removed); empty when there was none.
        var target: String

        /// True when the redirection writes to a file.
        var writes: Bool {
            switch op {
            case ">", ">>", ">|", "&>", "&>>", "<>": return true
            case ">&": return !target.isEmpty && target != "-" && !target.unicodeScalars.allSatisfy { $0.properties.numericType != nil }
            default: return false
            }
        }
    }

    /// One simple command: its words and what came with them.
    struct SimpleCommand: Sendable, Equatable {
        /// The words with quotes and escapes removed; a substitution stays as its text (`$(…)`).
        var words: [String] = []
        /// Indices into `words` of the words whose value is computed at run time.
        var computedWords: Set<Int> = []
        /// Its redirections, in order.
        var redirects: [Redirect] = []
        /// The command and process substitutions inside its words or redirections.
        var substitutions: [ShellCommandLine] = []
        /// True when the previous command's output is piped into this one (`|`, `|&`).
        var pipedFromPrevious = false

        var isEmpty: Bool { words.isEmpty && redirects.isEmpty && substitutions.isEmpty }
    }

    /// The simple commands, in order.
    var commands: [SimpleCommand]
    /// True when substitutions were nested deeper than `maximumDepth` (the rest was not parsed).
    var tooDeep: Bool

    /// How deep substitutions are parsed.
    static let maximumDepth = 8

    /// Parses a command line.
    ///
    /// - Parameters:
    ///   - text: The command line, untrusted.
    ///   - depth: The substitution depth of `text` (0 at the top).
    static func parse(_ text: String, depth: Int = 0) -> ShellCommandLine {
        var parser = ShellLineParser(text, depth: depth)
        return parser.run()
    }
}

/// The state of one `ShellCommandLine.parse` call.
private struct ShellLineParser {
    private let scalars: [Unicode.Scalar]
    private let depth: Int
    private var index = 0
    private var result = ShellCommandLine(commands: [], tooDeep: false)
    private var current = ShellCommandLine.SimpleCommand()
    private var word = ""
    private var inWord = false
    private var wordComputed = false
    private var pendingRedirect: String?

    init(_ text: String, depth: Int) {
        self.scalars = Array(text.unicodeScalars)
        self.depth = depth
    }

    private func peek(_ offset: Int) -> Unicode.Scalar? {
        index + offset < scalars.count ? scalars[index + offset] : nil
    }

    mutating func run() -> ShellCommandLine {
        while index < scalars.count {
            let c = scalars[index]
            switch c {
            case " ", "\t":
                endWord()
                index += 1
            case "\n", "\r", ";":
                endCommand(pipeNext: false, operatorLength: 1)
            case "&":
                if peek(1) == "&" {
                    endCommand(pipeNext: false, operatorLength: 2)
                } else if peek(1) == ">" {
                    endWord()
                    index += 2
                    var op = "&>"
                    if peek(0) == ">" {
                        op = "&>>"
                        index += 1
                    }
                    setRedirect(op)
                } else {
                    endCommand(pipeNext: false, operatorLength: 1)
                }
            case "|":
                if peek(1) == "|" {
                    endCommand(pipeNext: false, operatorLength: 2)
                } else if peek(1) == "&" {
                    endCommand(pipeNext: true, operatorLength: 2)
                } else {
                    endCommand(pipeNext: true, operatorLength: 1)
                }
            case "(", ")":
                endCommand(pipeNext: false, operatorLength: 1)
            case "<", ">":
                if peek(1) == "(" {
                    substituteParenthesised(c)
                } else {
                    // `2>file`: digits right before the operator name a file descriptor, not a word.
                    if inWord, !wordComputed, !word.isEmpty, word.unicodeScalars.allSatisfy({ $0.value >= 48 && $0.value <= 57 }) {
                        word = ""
                        inWord = false
                    } else {
                        endWord()
                    }
                    readRedirectOperator()
                }
            case "'":
                inWord = true
                index += 1
                while index < scalars.count, scalars[index] != "'" {
                    word.unicodeScalars.append(scalars[index])
                    index += 1
                }
                index += 1
            case "\"":
                inWord = true
                index += 1
                readDoubleQuoted()
            case "\\":
                if peek(1) == "\n" {
                    index += 2
                } else if let next = peek(1) {
                    inWord = true
                    word.unicodeScalars.append(next)
                    index += 2
                } else {
                    index += 1
                }
            case "`":
                substituteBackticks()
            case "$":
                if peek(1) == "(" {
                    substituteParenthesised("$")
                } else if peek(1) == "'" {
                    index += 2
                    inWord = true
                    readANSIC()
                } else if peek(1) == "\"" {
                    index += 1
                } else {
                    inWord = true
                    wordComputed = true
                    word.append("$")
                    index += 1
                }
            case "#" where !inWord:
                while index < scalars.count, scalars[index] != "\n" { index += 1 }
            default:
                inWord = true
                word.unicodeScalars.append(c)
                index += 1
            }
        }
        endCommand(pipeNext: false)
        return result
    }

    private mutating func endWord() {
        guard inWord else { return }
        if let op = pendingRedirect {
            current.redirects.append(.init(op: op, target: word))
            pendingRedirect = nil
        } else {
            if wordComputed { current.computedWords.insert(current.words.count) }
            current.words.append(word)
        }
        word = ""
        inWord = false
        wordComputed = false
    }

    private mutating func setRedirect(_ op: String) {
        if let previous = pendingRedirect { current.redirects.append(.init(op: previous, target: "")) }
        pendingRedirect = op
    }

    /// Ends the simple command at `index`; the next one reads its input from this one's output
    /// when `pipeNext`. `operatorLength` scalars (the `;`, `&&`, `|`… that ended it) are passed over.
    private mutating func endCommand(pipeNext: Bool, operatorLength: Int = 0) {
        endWord()
        if let op = pendingRedirect {
            current.redirects.append(.init(op: op, target: ""))
            pendingRedirect = nil
        }
        if !current.isEmpty { result.commands.append(current) }
        current = ShellCommandLine.SimpleCommand()
        current.pipedFromPrevious = pipeNext
        index += operatorLength
    }

    private mutating func readRedirectOperator() {
        let first = scalars[index]
        index += 1
        var op = String(first)
        if first == ">" {
            switch peek(0) {
            case ">":
                op = ">>"
                index += 1
            case "|":
                op = ">|"
                index += 1
            case "&":
                op = ">&"
                index += 1
            default: break
            }
        } else {
            switch peek(0) {
            case "<":
                index += 1
                if peek(0) == "<" {
                    op = "<<<"
                    index += 1
                } else {
                    op = "<<"
                    if peek(0) == "-" { index += 1 }
                }
            case ">":
                op = "<>"
                index += 1
            case "&":
                op = "<&"
                index += 1
            default: break
            }
        }
        setRedirect(op)
    }

    /// Reads the substitution `c(…)` whose `c` (`$`, `<` or `>`) is at `index`, and records it.
    private mutating func substituteParenthesised(_ c: Unicode.Scalar) {
        index += 2
        let inner = readParenthesised()
        addSubstitution(inner, marker: "\(c)(\(inner))")
    }

    /// Reads the substitution `` `…` `` that starts at `index`, and records it.
    private mutating func substituteBackticks() {
        index += 1
        let inner = readBackticks()
        addSubstitution(inner, marker: "`\(inner)`")
    }

    private mutating func addSubstitution(_ inner: String, marker: String) {
        inWord = true
        wordComputed = true
        word += marker
        if depth + 1 > ShellCommandLine.maximumDepth {
            result.tooDeep = true
            return
        }
        let nested = ShellCommandLine.parse(inner, depth: depth + 1)
        if nested.tooDeep { result.tooDeep = true }
        current.substitutions.append(nested)
    }

    /// Reads up to the `)` that closes an already consumed `(`, skipping quoted text; returns the inside.
    private mutating func readParenthesised() -> String {
        let start = index
        var level = 1
        while index < scalars.count {
            switch scalars[index] {
            case "\\":
                index += 2
                continue
            case "'":
                index += 1
                while index < scalars.count, scalars[index] != "'" { index += 1 }
            case "\"":
                index += 1
                while index < scalars.count, scalars[index] != "\"" {
                    if scalars[index] == "\\" { index += 1 }
                    index += 1
                }
            case "(":
                level += 1
            case ")":
                level -= 1
                if level == 0 {
                    let inner = String(String.UnicodeScalarView(scalars[start..<index]))
                    index += 1
                    return inner
                }
            default: break
            }
            index += 1
        }
        index = scalars.count
        return String(String.UnicodeScalarView(scalars[min(start, scalars.count)...]))
    }

    /// Reads up to the closing backtick (already past the opening one); `\`` inside is a backtick.
    private mutating func readBackticks() -> String {
        var inner = String.UnicodeScalarView()
        while index < scalars.count, scalars[index] != "`" {
            if scalars[index] == "\\", let next = peek(1), next == "`" || next == "\\" || next == "$" {
                inner.append(next)
                index += 2
                continue
            }
            inner.append(scalars[index])
            index += 1
        }
        index += 1
        return String(inner)
    }

    /// Reads a double-quoted part (already past the opening quote) into the current word.
    private mutating func readDoubleQuoted() {
        while index < scalars.count {
            let c = scalars[index]
            switch c {
            case "\"":
                index += 1
                return
            case "\\":
                if let next = peek(1), next == "$" || next == "`" || next == "\"" || next == "\\" || next == "\n" {
                    if next != "\n" { word.unicodeScalars.append(next) }
                    index += 2
                } else {
                    word.append("\\")
                    index += 1
                }
            case "`":
                substituteBackticks()
            case "$":
                if peek(1) == "(" {
                    substituteParenthesised("$")
                } else {
                    wordComputed = true
                    word.append("$")
                    index += 1
                }
            default:
                word.unicodeScalars.append(c)
                index += 1
            }
        }
    }

    /// Reads `$'…'` (already past `$'`), decoding its escapes into the current word.
    private mutating func readANSIC() {
        while index < scalars.count, scalars[index] != "'" {
            guard scalars[index] == "\\", let next = peek(1) else {
                word.unicodeScalars.append(scalars[index])
                index += 1
                continue
            }
            index += 2
            switch next {
            case "n": word.append("\n")
            case "t": word.append("\t")
            case "r": word.append("\r")
            case "a": word.unicodeScalars.append(Unicode.Scalar(7))
            case "b": word.unicodeScalars.append(Unicode.Scalar(8))
            case "e", "E": word.unicodeScalars.append(Unicode.Scalar(27))
            case "f": word.unicodeScalars.append(Unicode.Scalar(12))
            case "v": word.unicodeScalars.append(Unicode.Scalar(11))
            case "x": appendNumber(radix: 16, maxDigits: 2)
            case "u": appendNumber(radix: 16, maxDigits: 4)
            case "U": appendNumber(radix: 16, maxDigits: 8)
            case "0"..."7":
                index -= 1
                appendNumber(radix: 8, maxDigits: 3)
            default: word.unicodeScalars.append(next)
            }
        }
        index += 1
    }

    private mutating func appendNumber(radix: UInt32, maxDigits: Int) {
        var value: UInt32 = 0
        var digits = 0
        while digits < maxDigits, index < scalars.count, let digit = Character(scalars[index]).hexDigitValue, UInt32(digit) < radix {
            value = value &* radix &+ UInt32(digit)
            digits += 1
            index += 1
        }
        if digits > 0, let scalar = Unicode.Scalar(value) { word.unicodeScalars.append(scalar) }
    }
}
