import JarvisCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// `Sleeper` that blocks the calling thread with `nanosleep(2)`, resuming after signals
/// until the whole time has passed.
public struct SystemSleeper: Sleeper {
    /// Creates a sleeper.
    public init() {}

    /// Sleeps `seconds` seconds (nothing for zero or less). Wraps `nanosleep`.
    /// - Parameter seconds: How long.
    public func sleep(seconds: Double) {
        guard seconds > 0, seconds.isFinite else { return }
        let whole = seconds.rounded(.down)
        var request = timespec(tv_sec: Int(whole), tv_nsec: Int((seconds - whole) * 1e9))
        var remaining = timespec()
        while nanosleep(&request, &remaining) != 0 && errno == EINTR {
            request = remaining
        }
    }
}
