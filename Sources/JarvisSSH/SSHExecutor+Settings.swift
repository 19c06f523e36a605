import JarvisCore

extension SSHExecutor {
    /// The executor every remote command goes through, with the `ssh:` timeouts and retries.
    ///
    /// - Parameters:
    ///   - settings: The `ssh:` settings.
    ///   - retrying: False for a check that must not insist (one connection attempt).
    ///   - sleeper: How to wait between attempts.
    ///   - random: Source of jitter in 0..<1.
    public init(
        settings: SSHSettings, retrying: Bool = true, sleeper: any Sleeper,
        random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) }
    ) {
        self.init(
            connectTimeout: settings.connectTimeoutDuration,
            retryPolicy: RetryPolicy(maxAttempts: retrying ? settings.retries : 1, jitter: settings.retryJitter), sleeper: sleeper,
            random: random)
    }
}
