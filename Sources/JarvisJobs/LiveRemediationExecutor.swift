import Foundation
import JarvisCore
import JarvisSSH

/// Runs remediation commands for real: over SSH (strict host keys, timeouts, output caps),
/// or directly, without a shell, on a `local` host. Connection failures before the command
/// started are retried (attempts and backoff from `ssh:`); a command that started is never
/// run twice.
public struct LiveRemediationExecutor: RemediationExecutor {
    public var settings: SSHSettings

    public init(settings: SSHSettings) {
        self.settings = settings
    }

    public func execute(_ command: ResolvedCommand, on host: HostDefinition, timeout: Double) -> ExecutionOutcome {
        let limit = Swift.min(timeout, settings.commandTimeout)
        if host.local {
            do throws(LocalExecutionError) {
                let result = try LocalExecutor().run(command.argv, timeout: SSHSettings.duration(limit), outputCap: settings.outputCap)
                return Self.outcome(result)
            } catch {
                return ExecutionOutcome(exitStatus: nil, error: error.description)
            }
        }
        var attempt = 0
        let backoff = [2.0, 4.0]
        while true {
            attempt += 1
            do throws(SSHError) {
                let session = try SSHSession(host: host, connectTimeout: settings.connectTimeoutDuration)
                let result = try session.run(argv: command.argv, timeout: SSHSettings.duration(limit), outputCap: settings.outputCap)
                return Self.outcome(result)
            } catch {
                guard error.isConnectionClass, attempt < Swift.max(1, settings.retries) else {
                    return ExecutionOutcome(exitStatus: nil, error: error.description)
                }
                let wait = backoff[Swift.min(attempt - 1, backoff.count - 1)] * Double.random(in: 0.75...1.25)
                Thread.sleep(forTimeInterval: wait)
            }
        }
    }

    static func outcome(_ result: CommandResult) -> ExecutionOutcome {
        let stdout = String(decoding: result.stdout, as: UTF8.self)
        let stderr = String(decoding: result.stderr, as: UTF8.self)
        if result.timedOut { return ExecutionOutcome(exitStatus: nil, stdout: stdout, stderr: stderr, error: "timed out") }
        if let signal = result.exitSignal { return ExecutionOutcome(exitStatus: nil, stdout: stdout, stderr: stderr, error: "killed by signal \(signal)") }
        return ExecutionOutcome(exitStatus: result.exitStatus.map(Int.init), stdout: stdout, stderr: stderr)
    }
}
