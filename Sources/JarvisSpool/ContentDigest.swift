internal import CFastDigest
import JarvisCore

/// The SHA-256 of a spool file's bytes (`alert_events.source_sha256`).
///
/// Through the system's libcrypto when it can be loaded (SHA instructions: ingest hashes
/// every byte it reads; 2.4 µs per alert in pure Swift), else through `JarvisCore.SHA256`.
/// Both give the same digest (tested).
public enum ContentDigest {
    /// Lower-case hex SHA-256 of `bytes`.
    public static func sha256Hex(_ bytes: [UInt8]) -> String {
        var digest = [UInt8](repeating: 0, count: 32)
        let done = bytes.withUnsafeBytes { input in
            digest.withUnsafeMutableBufferPointer { output in
                jarvis_fast_sha256(input.baseAddress, input.count, output.baseAddress)
            }
        }
        guard done == 0 else { return SHA256.hex(bytes) }
        return Hex.string(digest)
    }

    /// Whether the system's libcrypto is used (for tests and benchmarks).
    public static var usesSystemLibrary: Bool {
        var digest = [UInt8](repeating: 0, count: 32)
        return digest.withUnsafeMutableBufferPointer { jarvis_fast_sha256(nil, 0, $0.baseAddress) } == 0
    }
}
