import JarvisCore

/// Runs commands on remote hosts over SSH: connect, check, log in, run, disconnect.
///
/// Only connection-class failures (`SSHError.isConnectionClass`: refused, timed out, reset
/// before the command started) are retried, with exponential backoff and jitter. Host key and
/// authentication failures are final at once, and a command that may have started is never
/// run again. Whatever the retries, the result counts as **one** attempt for the host
/// (`SSHExecution.hostAttempt`).
///
/// This is the one way jarvis runs a remote command: remediation, the LLM's diagnostics and
/// `probe-hosts` sessions all go through it. The libssh2 calls block the calling thread, each
/// bounded by the connect or command timeout; callers bound parallelism.
public struct SSHExecutor: Sendable {
    /// How connection failures are retried.
    public struct RetryPolicy: Sendable, Equatable {
        /// Most connection attempts per command (default 3).
        public var maxAttempts: Int
        /// Base delay before the 2nd, 3rd… attempt (default 2 s, then 4 s); the last value repeats.
        public var backoff: [Duration]
        /// Jitter as a fraction of the delay: each delay is scaled by a random factor in
        /// `1 - jitter ... 1 + jitter` (default 0.25).
        public var jitter: Double

        /// Creates a policy.
        ///
        /// - Parameters:
        ///   - maxAttempts: Most attempts (at least 1).
        ///   - backoff: Base delays between attempts.
        ///   - jitter: Random spread as a fraction of each delay, 0...1.
        public init(maxAttempts: Int = 3, backoff: [Duration] = [.seconds(2), .seconds(4)], jitter: Double = 0.25) {
            self.maxAttempts = max(1, maxAttempts)
            self.backoff = backoff
            self.jitter = min(1, max(0, jitter))
        }

        /// The delay before attempt `attempt + 1` (1-based `attempt` that just failed).
        ///
        /// - Parameters:
        ///   - attempt: The attempt that failed, from 1.
        ///   - random: A number in 0..<1.
        public func delay(after attempt: Int, random: Double) -> Duration {
            guard let base = backoff.isEmpty ? nil : backoff[min(attempt - 1, backoff.count - 1)] else { return .zero }
            return base * (1 + jitter * (2 * random - 1))
        }
    }

    /// TCP connect + handshake + host key check + authentication budget per attempt (default 10 s).
    public var connectTimeout: Duration
    /// Retry policy for connection failures.
    public var retryPolicy: RetryPolicy
    /// ssh-agent socket for hosts without an identity file (default `SSH_AUTH_SOCK`).
    public var agentSocketPath: String?
    /// Waits between attempts (live: a sleeping thread; tests record the waits instead).
    public let sleeper: any Sleeper
    /// Source of jitter in 0..<1; tests inject a fixed one.
    public let random: @Sendable () -> Double

    /// Creates an executor.
    ///
    /// - Parameters:
    ///   - connectTimeout: Budget for connect, handshake, host key check and authentication.
    ///   - retryPolicy: Retries for connection failures.
    ///   - agentSocketPath: ssh-agent socket (default `SSH_AUTH_SOCK`).
    ///   - sleeper: How to wait between attempts.
    ///   - random: Source of jitter in 0..<1.
    public init(
        connectTimeout: Duration = .seconds(10), retryPolicy: RetryPolicy = RetryPolicy(),
        agentSocketPath: String? = SSHSession.environmentAgentSocket, sleeper: any Sleeper,
        random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) }
    ) {
        self.connectTimeout = connectTimeout
        self.retryPolicy = retryPolicy
        self.agentSocketPath = agentSocketPath
        self.sleeper = sleeper
        self.random = random
    }

    /// Runs `argv` on `host` (see `SSHSession.run(argv:timeout:outputCap:)`), retrying only
    /// connection failures that happened before the command could start. Blocks the calling
    /// thread.
    ///
    /// - Parameters:
    ///   - argv: The command and its arguments.
    ///   - host: The host; must not be `local`.
    ///   - timeout: Command timeout (default 60 s).
    ///   - outputCap: Most bytes kept per stream (default 64 KiB).
    /// - Returns: The result or the last error, with the attempts made.
    public func run(_ argv: [String], on host: HostDefinition, timeout: Duration = .seconds(60), outputCap: Int = 64 * 1024) -> SSHExecution {
        var attempts = 0
        var backoffs: [Duration] = []
        while true {
            attempts += 1
            do {
                let result = try runOnce(argv, on: host, timeout: timeout, outputCap: outputCap)
                return SSHExecution(host: host.name, result: .success(result), connectionAttempts: attempts, backoffs: backoffs)
            } catch {
                guard error.isConnectionClass, attempts < retryPolicy.maxAttempts else {
                    return SSHExecution(host: host.name, result: .failure(error), connectionAttempts: attempts, backoffs: backoffs)
                }
                let delay = retryPolicy.delay(after: attempts, random: random())
                backoffs.append(delay)
                let (seconds, attoseconds) = delay.components
                sleeper.sleep(seconds: Double(seconds) + Double(attoseconds) / 1e18)
            }
        }
    }

    /// Opens a session, checks it, and runs the command once.
    private func runOnce(_ argv: [String], on host: HostDefinition, timeout: Duration, outputCap: Int) throws(SSHError) -> CommandResult {
        // Validate the command before touching the network.
        _ = try SSHSession.remoteCommand(argv: argv, timeout: timeout, host: host.name)
        let session = try SSHSession(host: host, connectTimeout: connectTimeout, agentSocketPath: agentSocketPath)
        return try session.run(argv: argv, timeout: timeout, outputCap: outputCap)
    }
}
