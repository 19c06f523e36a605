import Foundation

/// Whether a test that needs a real server (sshd, PostgreSQL, Alertmanager, Prometheus) runs.
///
/// On a developer machine without the server the test is skipped; under `CI=true` it always
/// runs, so a server that cannot start fails the test instead of skipping it silently.
public enum ServerGate {
    /// True when `CI=true` is set (`.ci/run` sets it).
    public static var isCI: Bool { ProcessInfo.processInfo.environment["CI"] == "true" }

    /// True when the server is available here, and always under `CI=true`.
    ///
    /// - Parameter available: Whether this machine can start the server.
    public static func runs(whenAvailable available: Bool) -> Bool { available || isCI }
}
