/// A command set that failed for an alert key, and how often.
public struct FailedCommandSet: Sendable, Equatable {
    public var actions: [ActionProposal]
    public var failures: Int

    public init(actions: [ActionProposal], failures: Int) {
        self.actions = actions
        self.failures = failures
    }
}
