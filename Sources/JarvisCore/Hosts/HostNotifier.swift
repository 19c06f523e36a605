/// Port: tells people about host state changes. Called once per `HostTransition`, after the
/// transition has been committed to the state store.
///
/// The live implementations log (`LoggingHostNotifier`) and queue Discord messages.
public protocol HostNotifier: Sendable {
    /// Reports one transition.
    ///
    /// - Parameter transition: The committed transition.
    func hostTransition(_ transition: HostTransition)

    /// Reports a refused host key, once per refusal (`HostKeyRefusal`); by default nothing.
    ///
    /// - Parameter refusal: The refusal just recorded.
    func hostKeyRefused(_ refusal: HostKeyRefusal)
}
