import JarvisCore
import JarvisHTTP
import JarvisSQLite

extension NotificationDispatcher {
    /// The dispatcher the CLI uses: libcurl (`CurlTransport`, with `discord.proxy` if set)
    /// and real sleeps (`SystemSleeper`).
    /// - Parameters:
    ///   - configuration: The configuration (its `discord` section and state directory).
    ///   - journal: The database holding the outbox.
    ///   - now: The wall clock.
    public static func live(configuration: JarvisConfiguration, journal: JournalDatabase, now: @escaping @Sendable () -> Timestamp)
        -> NotificationDispatcher
    {
        NotificationDispatcher(
            configuration: configuration, journal: journal, transport: CurlTransport(proxy: configuration.discord.proxy),
            sleeper: SystemSleeper(), now: now)
    }
}
