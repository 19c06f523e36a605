import Foundation
import JarvisCore

/// Runs remediation commands for real: over SSH through the one `SSHExecutor` (strict host
/// keys, timeouts, output caps; connection failures before the command started are retried
/// with the `ssh:` attempts, 2 s / 4 s waits and jitter; a command that started is never run
/// twice), or directly, without a shell, on a `local` host.
public struct LiveRemediationExecutor: RemediationExecutor {
    public var settings: SSHSettings
    /// The executor remote commands go through.
    public var ssh: SSHExecutor

    /// Creates the executor.
    ///
    /// - Parameters:
    ///   - settings: Timeouts, caps and retries.
    ///   - sleeper: How to wait between connection attempts (live: the thread sleeps).
    ///   - random: Source of jitter in 0..<1.
    public init(settings: SSHSettings, sleeper: any Sleeper, random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) }) {
        self.settings = settings
        self.ssh = SSHExecutor(settings: settings, sleeper: sleeper, random: random)
    }

    public func execute(_ command: ResolvedCommand, on host: HostDefinition, timeout: Double) -> ExecutionOutcome {
        let limit = SSHSettings.duration(Swift.min(timeout, settings.commandTimeout))
        if host.local {
            do throws(LocalExecutionError) {
                return Self.outcome(try LocalExecutor().run(command.argv, timeout: limit, outputCap: settings.outputCap))
            } catch {
                return ExecutionOutcome(exitStatus: nil, error: error.description)
            }
        }
        let execution = ssh.run(command.argv, on: host, timeout: limit, outputCap: settings.outputCap)
        var outcome: ExecutionOutcome
        switch execution.result {
        case .success(let result): outcome = Self.outcome(result)
        case .failure(let error):
            outcome = ExecutionOutcome(exitStatus: nil, error: error.description)
            outcome.hostKeyRefusal = error.hostKeyRefusal(for: host)
        }
        outcome.hostAttempt = execution.hostAttempt
        return outcome
    }

    static func outcome(_ result: CommandResult) -> ExecutionOutcome {
        let stdout = String(decoding: result.stdout, as: UTF8.self)
        let stderr = String(decoding: result.stderr, as: UTF8.self)
        if result.timedOut { return ExecutionOutcome(exitStatus: nil, stdout: stdout, stderr: stderr, error: "timed out") }
        if let signal = result.exitSignal {
            return ExecutionOutcome(exitStatus: nil, stdout: stdout, stderr: stderr, error: "killed by signal \(signal)")
        }
        return ExecutionOutcome(exitStatus: result.exitStatus.map(Int.init), stdout: stdout, stderr: stderr)
    }
}
