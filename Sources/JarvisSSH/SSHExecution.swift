import JarvisCore

/// The outcome of one logical remote command: what `SSHExecutor.run` returns.
public struct SSHExecution: Sendable {
    /// Host name.
    public var host: String
    /// The command's result, or why it could not run (or could not finish).
    public var result: Result<CommandResult, SSHError>
    /// Connection attempts made (1 to `RetryPolicy.maxAttempts`).
    public var connectionAttempts: Int
    /// Delays slept between attempts.
    public var backoffs: [Duration]

    /// Creates an execution record.
    ///
    /// - Parameters:
    ///   - host: Host name.
    ///   - result: Result or error.
    ///   - connectionAttempts: Attempts made.
    ///   - backoffs: Delays slept between attempts.
    public init(host: String, result: Result<CommandResult, SSHError>, connectionAttempts: Int, backoffs: [Duration]) {
        self.host = host
        self.result = result
        self.connectionAttempts = connectionAttempts
        self.backoffs = backoffs
    }

    /// The one logical attempt this was, for `HostStateMachine.record(_:at:)`: succeeded when a
    /// session was established and the command ran (whatever its exit status), failed otherwise,
    /// however many connection attempts it made.
    public var hostAttempt: HostAttemptOutcome {
        switch result {
        case .success: return .succeeded
        case .failure(let error): return .failed(error: error.description)
        }
    }
}
