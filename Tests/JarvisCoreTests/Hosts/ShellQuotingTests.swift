import JarvisCore
import Testing

@Suite struct ShellQuotingTests {
    @Test(arguments: [
        (["true"], "true"),
        (["ls", "-la", "/var/log"], "ls -la /var/log"),
        (["echo", ""], "echo ''"),
        (["printf", "%s", "a b"], "printf %s 'a b'"),
        (["echo", "it's"], #"echo 'it'\''s'"#),
        (["echo", "$(id); `id` | x & y > z"], "echo '$(id); `id` | x & y > z'"),
        (["echo", "line1\nline2"], "echo 'line1\nline2'"),
        (["echo", "*", "~", "#", "!"], "echo '*' '~' '#' '!'"),
        (["echo", "\"double\""], "echo '\"double\"'"),
        (["echo", "ünï"], "echo 'ünï'"),
    ])
    func quotesEachArgumentSoTheShellExpandsNothing(argv: [String], expected: String) throws {
        #expect(try ShellQuoting.quote(argv) == expected)
    }

    @Test func refusesAnEmptyListAndNulCharacters() {
        #expect(throws: ShellQuoting.Failure.emptyArgv) { try ShellQuoting.quote([]) }
        #expect(throws: ShellQuoting.Failure.nulCharacter(argumentIndex: 1)) { try ShellQuoting.quote(["echo", "a\u{0}b"]) }
    }
}
