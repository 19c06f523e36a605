/// Port: runs one resolved command on a host. Live: SSH, or directly for `local` hosts.
public protocol RemediationExecutor: Sendable {
    /// Runs `command` on `host` within `timeout` seconds.
    func execute(_ command: ResolvedCommand, on host: HostDefinition, timeout: Double) -> ExecutionOutcome
}

/// What running one command gave.
public struct ExecutionOutcome: Sendable, Equatable {
    public var exitStatus: Int?
    public var stdout: String
    public var stderr: String
    /// Why there is no exit status (connection refused, host key, timeout…), or nil.
    public var error: String?
    /// For an SSH command, the one logical attempt it was for the host's state machine (a
    /// session that ran succeeded; a connection failure after retries failed); nil otherwise.
    public var hostAttempt: HostAttemptOutcome?
    /// For an SSH command refused because of the host's key: the refusal (a security event).
    public var hostKeyRefusal: HostKeyRefusal?

    public init(
        exitStatus: Int?, stdout: String = "", stderr: String = "", error: String? = nil, hostAttempt: HostAttemptOutcome? = nil,
        hostKeyRefusal: HostKeyRefusal? = nil
    ) {
        self.exitStatus = exitStatus
        self.stdout = stdout
        self.stderr = stderr
        self.error = error
        self.hostAttempt = hostAttempt
        self.hostKeyRefusal = hostKeyRefusal
    }

    public var succeeded: Bool { error == nil && exitStatus == 0 }
}
