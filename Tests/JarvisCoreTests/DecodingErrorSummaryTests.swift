import Foundation
import JarvisCore
import Testing

/// Decoding errors read as words and JSON paths, never as Swift type names.
@Suite struct DecodingErrorSummaryTests {
    struct Document: Decodable {
        struct Item: Decodable { var since: String }
        var generation: Int
        var items: [Item]
        var flags: [String: Bool]?
    }

    func summary(_ json: String) -> String? {
        do {
            _ = try JSONDecoder().decode(Document.self, from: Data(json.utf8))
            return nil
        } catch {
            return (error as? DecodingError)?.summary
        }
    }

    @Test(arguments: [
        (#"{"generation":"x","items":[]}"#, "generation: expected a whole number"),
        (#"{"items":[]}"#, "generation: is required"),
        (#"{"generation":1,"items":[{"since":"a"},{}]}"#, "items[1].since: is required"),
        (#"{"generation":1,"items":{}}"#, "items: expected a list"),
        (#"{"generation":1,"items":[],"flags":[]}"#, "flags: expected a mapping"),
        (#"{"generation":1,"items":[{"since":3}]}"#, "items[0].since: expected text"),
        (#"{"generation":null,"items":[]}"#, "generation: expected a whole number, found nothing"),
        ("[1]", "expected a mapping"),
    ])
    func summariesNameThePathAndTheKind(_ json: String, _ expected: String) {
        let text = summary(json)
        #expect(text == expected)
        #expect(text.map { !$0.contains("Swift") && !$0.contains("<") && !$0.contains("CodingKeys") } == true)
    }
}
