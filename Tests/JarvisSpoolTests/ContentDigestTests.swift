import Foundation
import JarvisCore
import JarvisSpool
import JarvisTestSupport
import Testing

/// The spool files' SHA-256 through libcrypto equals the pure Swift one.
@Suite struct ContentDigestTests {
    @Test func libcryptoIsFoundOnAMachineWithLibssh2() {
        #expect(ContentDigest.usesSystemLibrary, "libcrypto.so.3 (a dependency of libssh2-1 and libpq5) could not be loaded")
    }

    @Test func systemAndSwiftDigestsAgreeOnEverySizeAroundTheBlockBoundaries() {
        var generator = SystemRandomNumberGenerator()
        var sizes = Array(0...130) + [1000, 4095, 4096, 4097, 65_536, 1 << 20]
        sizes += (0..<20).map { _ in Int.random(in: 0...200_000, using: &generator) }
        for size in sizes {
            let bytes = (0..<size).map { _ in UInt8.random(in: 0...255, using: &generator) }
            #expect(ContentDigest.sha256Hex(bytes) == SHA256.hex(bytes), "size \(size)")
        }
    }

    @Test func knownAnswers() throws {
        #expect(ContentDigest.sha256Hex([]) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(ContentDigest.sha256Hex(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        for name in Fixtures.payloadNames {
            let bytes = Array(try Fixtures.payload(name))
            #expect(ContentDigest.sha256Hex(bytes) == SHA256.hex(bytes), "\(name)")
        }
    }
}
