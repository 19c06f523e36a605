import JarvisTestSupport
import Testing

@testable import JarvisCore

@Suite struct DiscordLimitsTests {
    @Test func lengthCountsCodePointsAsDiscordDoes() {
        #expect(DiscordLimits.length("abc") == 3)
        #expect(DiscordLimits.length("é") == 1)  // U+00E9
        #expect(DiscordLimits.length("e\u{301}") == 2)  // e + combining acute: one Character, two code points
        #expect(DiscordLimits.length("🔥") == 1)  // two UTF-16 units, one code point
        #expect(DiscordLimits.length("🇫🇷") == 2)
    }

    @Test func textWithinTheLimitIsUntouched() {
        #expect(DiscordLimits.truncate("hello", to: 5) == "hello")
        #expect(DiscordLimits.truncate("", to: 5) == "")
    }

    @Test func longTextIsCutToTheLimitWithAnEllipsis() {
        let cut = DiscordLimits.truncate(String(repeating: "x", count: 5000), to: 4096)
        #expect(DiscordLimits.length(cut) == 4096)
        #expect(cut.hasSuffix("…"))
        #expect(DiscordLimits.truncate("hello world", to: 7) == "hello…")  // trailing space dropped
    }

    @Test func truncationNeverSplitsACharacter() {
        let flags = String(repeating: "🇫🇷", count: 10)  // 20 code points
        let cut = DiscordLimits.truncate(flags, to: 6)
        #expect(cut == "🇫🇷🇫🇷…")
        #expect(DiscordLimits.length(cut) <= 6)
        #expect(DiscordLimits.truncate("abc", to: 0) == "")
        #expect(DiscordLimits.truncate("abc", to: 1) == "…")
    }

    @Test func fittedEmbedKeepsEveryPartWithinItsLimitAndTheTotal() {
        let big = String(repeating: "y", count: 9000)
        let embed = DiscordEmbed(
            title: big, description: big, severity: .info, fields: (0..<40).map { _ in DiscordEmbed.Field(big, big) }, footer: big, author: big
        ).fitted()
        #expect(DiscordLimits.length(embed.title) == 256)
        #expect(embed.fields.count <= 25)
        #expect(embed.fields.allSatisfy { DiscordLimits.length($0.name) <= 256 && DiscordLimits.length($0.value) <= 1024 })
        #expect(DiscordLimits.length(embed.footer ?? "") <= 2048)
        #expect(DiscordLimits.length(embed.author ?? "") <= 256)
        #expect(embed.characterCount <= 6000)
        #expect(DiscordLimits.length(embed.description ?? "") >= 1024)  // the description keeps its floor
    }

    @Test func extraFieldsAreFoldedIntoTheLastOne() {
        let embed = DiscordEmbed(title: "t", severity: .info, fields: (0..<30).map { DiscordEmbed.Field("f\($0)", "v") }).fitted()
        #expect(embed.fields.count == 25)
        #expect(embed.fields[23].name == "f23")
        #expect(embed.fields[24].value == "6 more not shown")  // 30 − 24 shown
    }

    @Test func emptyFieldPartsAreReplacedBecauseDiscordRejectsThem() {
        let embed = DiscordEmbed(title: "t", description: "", severity: .info, fields: [DiscordEmbed.Field("", "")]).fitted()
        #expect(embed.fields == [DiscordEmbed.Field("—", "—")])
        #expect(embed.description == nil)
    }

    @Test(arguments: 0..<50) func randomEmbedsAlwaysFit(seed: Int) {
        var random = SeededRandom(seed: UInt64(seed))
        func text() -> String {
            let alphabet: [String] = ["a", " ", "é", "e\u{301}", "🔥", "🇫🇷", "\n", "\"", "\\"]
            return (0..<Int(random.next() % 3000)).map { _ in alphabet[Int(random.next() % UInt64(alphabet.count))] }.joined()
        }
        let fields = (0..<Int(random.next() % 40)).map { _ in DiscordEmbed.Field(text(), text()) }
        let embed = DiscordEmbed(title: text(), description: text(), severity: .warning, fields: fields, footer: text(), author: text()).fitted()
        #expect(embed.characterCount <= DiscordLimits.total)
        #expect(DiscordLimits.length(embed.title) <= DiscordLimits.title)
        #expect(DiscordLimits.length(embed.description ?? "") <= DiscordLimits.description)
        #expect(embed.fields.count <= DiscordLimits.fields)
    }
}
