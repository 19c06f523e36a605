/// Builds the one command string an SSH `exec` request carries from a list of arguments.
///
/// The remote sshd hands that string to the user's login shell (`sh -c`), so every argument is
/// POSIX single-quoted: inside single quotes the shell interprets nothing, and a single quote
/// itself is written `'\''`. Words made only of characters no shell treats specially are left
/// bare for readability. Text is never interpolated into a shell line anywhere else.
public enum ShellQuoting {
    /// Why an argument list cannot be quoted.
    public enum Failure: Error, Sendable, Equatable, CustomStringConvertible {
        /// The list is empty: there is no command.
        case emptyArgv
        /// An argument holds a NUL character, which no C string (and no shell word) can carry.
        case nulCharacter(argumentIndex: Int)

        /// Safe to log: names the argument position, never its text.
        public var description: String {
            switch self {
            case .emptyArgv: return "empty argument list"
            case .nulCharacter(let index): return "argument \(index) contains a NUL character"
            }
        }
    }

    /// Quotes every argument and joins them with single spaces.
    ///
    /// `["printf", "%s", "a'b; $(x)"]` → `printf %s 'a'\''b; $(x)'`.
    ///
    /// - Parameter argv: The command and its arguments; the first is the program.
    /// - Returns: A string `sh -c` splits back into exactly `argv`, with nothing expanded.
    /// - Throws: `ShellQuoting.Failure` for an empty list or an argument holding NUL.
    public static func quote(_ argv: [String]) throws(Failure) -> String {
        guard !argv.isEmpty else { throw .emptyArgv }
        var words: [String] = []
        words.reserveCapacity(argv.count)
        for (index, argument) in argv.enumerated() {
            guard !argument.utf8.contains(0) else { throw .nulCharacter(argumentIndex: index) }
            words.append(quote(word: argument))
        }
        return words.joined(separator: " ")
    }

    /// Quotes one word: bare when it is non-empty and made only of `A-Z a-z 0-9 _ @ % + = : , . / -`,
    /// else wrapped in single quotes with each `'` written as `'\''`.
    ///
    /// - Parameter word: One argument (must not contain NUL; `quote(_:)` checks that).
    public static func quote(word: String) -> String {
        if !word.isEmpty, word.utf8.allSatisfy(isBare) { return word }
        var out = "'"
        for character in word {
            if character == "'" { out += "'\\''" } else { out.append(character) }
        }
        out += "'"
        return out
    }

    private static func isBare(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return true
        case UInt8(ascii: "_"), UInt8(ascii: "@"), UInt8(ascii: "%"), UInt8(ascii: "+"), UInt8(ascii: "="), UInt8(ascii: ":"),
            UInt8(ascii: ","), UInt8(ascii: "."), UInt8(ascii: "/"), UInt8(ascii: "-"):
            return true
        default:
            return false
        }
    }
}
