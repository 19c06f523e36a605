import JarvisCore

/// Tells people about host transitions: a log line (as `LoggingHostNotifier`) and a Discord
/// message in the outbox. A recovery carries what was suppressed while the host was away
/// (taken from the triage's per-host summary, so it is reported once).
public struct OutboxHostNotifier: HostNotifier {
    public var log: LoggingHostNotifier
    /// Where host states and per-host suppressions are kept (live: the local database).
    public var journal: any JournalStateDocuments
    public var dispatcher: NotificationDispatcher
    public var now: @Sendable () -> Timestamp

    public init(
        log: LoggingHostNotifier, journal: any JournalStateDocuments, dispatcher: NotificationDispatcher, now: @escaping @Sendable () -> Timestamp
    ) {
        self.log = log
        self.journal = journal
        self.dispatcher = dispatcher
        self.now = now
    }

    /// Logs the refusal and queues the critical "host key refused" message.
    public func hostKeyRefused(_ refusal: HostKeyRefusal) {
        log.hostKeyRefused(refusal)
        do {
            try dispatcher.enqueue([DiscordNotification.hostKeyRefused(refusal)])
        } catch {
            log.write("host \(refusal.host): the Discord message could not be queued: \(error)", true)
        }
    }

    public func hostTransition(_ transition: HostTransition) {
        log.hostTransition(transition)
        do {
            var suppressed = SuppressionSummary()
            var offlineSince: Timestamp?
            if transition.to == .online {
                suppressed = try TriageSession.takeHostSuppressions(transition.host, journal: journal, now: now()) ?? SuppressionSummary()
                let history = try HostStateStore(journal: journal, journalRows: false, runner: "").load().history
                offlineSince = history.last { $0.host == transition.host && $0.to == .offline }?.at
            }
            if let message = DiscordNotification.hostTransition(transition, offlineSince: offlineSince, suppressed: suppressed) {
                try dispatcher.enqueue([message])
            }
        } catch {
            log.write("host \(transition.host): the Discord message could not be queued: \(error)", true)
        }
    }
}
