/// The `ssh:` section of the configuration: how jarvis talks to hosts and when it gives up on
/// them. The defaults are the numbers of docs/behaviour.md ("SSH and hosts").
///
/// ```yaml
/// ssh:
///   connect_timeout: 10      # seconds for TCP connect, handshake, host key check and login
///   command_timeout: 60      # seconds before a remote or local command is stopped
///   output_cap: 64KiB        # bytes kept per stream (stdout, stderr)
///   retries: 3               # connection attempts per command, the first one included
///   retry_jitter: 0.25       # each 2 s / 4 s wait between them is scaled by 1 ± this, at random
///   offline_after: 3         # consecutive failed attempts that make a host OFFLINE
///   recheck_interval: 300    # seconds between probes of an OFFLINE host (5m works too)
///   probe_timeout: 5         # seconds for one probe: TCP connect and SSH banner
///   probe_concurrency: 256   # probes in flight at once
/// ```
///
/// Durations are seconds (whole or decimal) or text such as `90s`, `5m`, `1h30m`.
public struct SSHSettings: Sendable, Equatable {
    /// Seconds for TCP connect, SSH handshake, host key check and authentication [10].
    public var connectTimeout = 10.0
    /// Seconds before a command is stopped and reported as timed out [60].
    public var commandTimeout = 60.0
    /// Bytes kept per output stream; the rest is read and dropped [64 KiB].
    public var outputCap = 64 * 1024
    /// Connection attempts per command, the first one included; only connection failures
    /// are retried, with backoff 2 s then 4 s and jitter [3].
    public var retries = 3
    /// Spread of the waits between connection attempts (2 s, then 4 s), as a fraction: each
    /// wait is scaled by a random factor in `1 - retryJitter ... 1 + retryJitter` [0.25].
    public var retryJitter = 0.25
    /// Consecutive failed attempts that make an ONLINE host OFFLINE [3].
    public var offlineAfter = 3
    /// Seconds between two probes of an OFFLINE host [300].
    public var recheckInterval = 300.0
    /// Seconds one probe (TCP connect, then the SSH banner) may take [5].
    public var probeTimeout = 5.0
    /// Most probes in flight at once [256]. A probe holds a socket, not a thread.
    public var probeConcurrency = 256

    /// The defaults.
    public init() {}

    /// The numbers `HostStateMachine` uses.
    public var thresholds: HostStateMachine.Thresholds {
        HostStateMachine.Thresholds(offlineAfterFailures: offlineAfter, recheckInterval: recheckInterval)
    }

    /// A duration of `seconds` seconds (millisecond precision).
    public static func duration(_ seconds: Double) -> Duration { .milliseconds(Int64((seconds * 1000).rounded())) }

    /// `connectTimeout` as a `Duration`.
    public var connectTimeoutDuration: Duration { SSHSettings.duration(connectTimeout) }
    /// `commandTimeout` as a `Duration`.
    public var commandTimeoutDuration: Duration { SSHSettings.duration(commandTimeout) }
    /// `probeTimeout` as a `Duration`.
    public var probeTimeoutDuration: Duration { SSHSettings.duration(probeTimeout) }
}
