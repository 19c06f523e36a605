/// A message to send, with the key that makes it go out once.
///
/// Built by the static builders (`escalation(_:)`, `hostOffline(_:)`, …) from domain facts;
/// the dedup key is derived from the same facts, so a run that is repeated (after a crash, or
/// a replayed spool file) builds the same key and the outbox keeps one copy.
public struct DiscordNotification: Sendable, Equatable {
    /// Unique per real-world event, e.g. `escalation:<occurrence>@<at>` or `host-offline:vps@<at>`.
    public var dedupKey: String
    /// The layout it was built with.
    public var kind: NotificationKind
    /// What Discord receives.
    public var message: DiscordMessage

    /// The JSON body to store in the outbox and post as is.
    /// - Parameter username: The webhook display name, or nil for the webhook's own.
    public func jsonBody(username: String?) -> String { message.jsonBody(username: username) }
}
