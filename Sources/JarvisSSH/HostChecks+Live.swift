import Dispatch
import JarvisCore

extension HostChecks {
    /// The live checks: `HostProbe.probe`, `true` through the one `SSHExecutor`, `LocalExecutor`.
    ///
    /// A session or a local command blocks its thread (libssh2 and `poll` loops bounded by the
    /// connect and command timeouts), so each runs on a Dispatch worker and the task awaits it:
    /// the cooperative pool (one thread per core) stays free for the non-blocking probes. The
    /// session is one attempt, without the executor's retries: a probe run checks, it does not insist.
    ///
    /// - Parameters:
    ///   - settings: Timeouts and caps.
    ///   - sleeper: How the executor would wait between attempts (it makes one).
    public static func live(settings: SSHSettings, sleeper: any Sleeper) -> HostChecks {
        let commandTimeout = settings.commandTimeoutDuration
        let ssh = SSHExecutor(settings: settings, retrying: false, sleeper: sleeper)
        return HostChecks(
            probe: { host, timeout in
                let result = await HostProbe.probe(host, timeout: timeout)
                if case .answered(let banner) = result.outcome { return .answered(banner: banner) }
                return .probeFailed(result.errorText ?? "probe failed")
            },
            session: { host in
                await offCooperativePool {
                    switch ssh.run(["true"], on: host, timeout: commandTimeout, outputCap: 4096).result {
                    case .success(let result) where result.timedOut: return .sessionFailed("SSH session for host \(host.name): `true` timed out")
                    case .success(let result): return .sessionSucceeded(banner: nil, exitStatus: result.exitStatus)
                    case .failure(let error):
                        if let refusal = error.hostKeyRefusal(for: host) { return .hostKeyRefused(refusal) }
                        return .sessionFailed(error.description)
                    }
                }
            },
            local: { _ in
                await offCooperativePool {
                    do throws(LocalExecutionError) {
                        let result = try LocalExecutor().run(["true"], timeout: commandTimeout, outputCap: 4096)
                        if result.timedOut { return .localFailed("local `true` timed out") }
                        return .localSucceeded(exitStatus: result.exitStatus)
                    } catch {
                        return .localFailed(error.description)
                    }
                }
            })
    }

    /// Runs blocking `work` on a Dispatch worker thread and waits for it without holding a
    /// cooperative thread.
    static func offCooperativePool<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(returning: work()) }
        }
    }
}
