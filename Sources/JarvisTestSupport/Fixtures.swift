import Foundation

/// Test inputs kept in the repository (`Tests/Fixtures`), with their provenance in
/// `Tests/Fixtures/payloads/README.md`.
public enum Fixtures {
    /// The repository's root folder.
    public static let repositoryRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    public static let payloadsDirectory = repositoryRoot.appendingPathComponent("Tests/Fixtures/payloads")

    /// The names of the real Alertmanager bodies (`*.json`), sorted.
    public static var payloadNames: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: payloadsDirectory.path)) ?? [])
            .filter { $0.hasSuffix(".json") }.sorted()
    }

    /// The bytes of one payload.
    public static func payload(_ name: String) throws -> Data {
        try Data(contentsOf: payloadsDirectory.appendingPathComponent(name))
    }
}

/// A temporary folder removed when the value is deinitialised.
public final class TemporaryDirectory: @unchecked Sendable {
    public let path: String

    public init(_ prefix: String = "jarvis-test") throws {
        let template = NSTemporaryDirectory() + "/\(prefix).XXXXXX"
        var bytes = Array(template.utf8CString)
        guard let result = mkdtemp(&bytes) else { throw CocoaError(.fileWriteUnknown) }
        path = String(cString: result)
    }

    public func file(_ name: String) -> String { path + "/" + name }

    deinit { try? FileManager.default.removeItem(atPath: path) }
}
