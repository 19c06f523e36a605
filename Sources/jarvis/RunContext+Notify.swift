import JarvisCore
import JarvisJobs
import JarvisSQLite

extension RunContext {
    /// The Discord dispatcher over `journal`'s outbox (libcurl, real sleeps).
    func dispatcher(journal: JournalDatabase) -> NotificationDispatcher {
        NotificationDispatcher.live(configuration: configuration, journal: journal, now: { .now() })
    }

    /// Queues `notifications` (nothing when no webhook is configured) and delivers what is
    /// due; a delivery that could not finish is logged and waits in the outbox.
    func notify(_ notifications: [DiscordNotification], journal: JournalDatabase, through dispatcher: NotificationDispatcher? = nil) throws {
        let dispatcher = dispatcher ?? self.dispatcher(journal: journal)
        if !notifications.isEmpty { try dispatcher.enqueue(notifications) }
        let delivery = try dispatcher.deliverDue()
        if delivery.isDegraded { Console.log(.warning, delivery.summary) }
    }
}
