import Foundation
import JarvisCore
import Testing

@Suite struct SupportTests {
    @Test(arguments: [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
    ])
    func sha256MatchesFIPSVectors(_ input: String, _ digest: String) {
        #expect(SHA256.hex(input) == digest)
    }

    @Test func sha256OfAMillionAs() {
        #expect(SHA256.hex([UInt8](repeating: 0x61, count: 1_000_000)) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test func jsonWriterEscapesEverythingJSONNeeds() throws {
        let nasty = "quote\" backslash\\ newline\n tab\t nul\u{0} bell\u{7} emoji🚨 cjk服务"
        var writer = JSONWriter()
        writer.field("s", nasty)
        writer.field("n", nil as String?)
        writer.field("i", Int64(-5))
        writer.field("b", true)
        writer.field("o", object: ["z": "1", "a": nasty])
        let text = writer.finish()
        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect(object["s"] as? String == nasty)
        #expect(object["n"] is NSNull)
        #expect(object["i"] as? Int == -5)
        #expect(object["b"] as? Bool == true)
        #expect((object["o"] as? [String: String])?["a"] == nasty)
        #expect(JSONWriter.object(["b": "2", "a": "1"]) == #"{"a":"1","b":"2"}"#)
    }

    @Test(arguments: ["", "plain", "\"lead", "trail\\", "mid\ndle", "\u{1}\u{1f}", "ünï \"q\" \t end", String(repeating: "x", count: 300) + "\r"])
    func objectValuesRoundTripWhereverTheEscapesAre(value: String) throws {
        let text = JSONWriter.object([value: value, "k": value])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: String])
        #expect(object[value] == value && object["k"] == value, "\(text)")
    }

    @Test func secretsNeverPrint() {
        let secret = Secret("postgresql://jarvis:hunter2@db/jarvis")
        #expect("\(secret)" == "<redacted>")
        #expect(String(reflecting: secret) == "<redacted>")
    }
}
