/// Port: tells people about host state changes. Called once per `HostTransition`, after the
/// transition has been committed to the state store.
///
/// The live implementation logs (`LoggingHostNotifier`); Discord comes later.
public protocol HostNotifier: Sendable {
    /// Reports one transition.
    ///
    /// - Parameter transition: The committed transition.
    func hostTransition(_ transition: HostTransition)
}
