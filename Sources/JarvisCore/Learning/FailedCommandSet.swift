/// A command set that failed for an alert key, and how often.
public struct FailedCommandSet: Sendable, Equatable {
    public var actions: [ActionProposal]
    public var failures: Int

    public init(actions: [ActionProposal], failures: Int) {
        self.actions = actions
        self.failures = failures
    }

    /// Groups the stored commands (`remediation_log.commands`) of failed attempts by command
    /// set, in the order each set first failed; empty and unreadable lists are skipped.
    public static func tally(_ commandLists: some Sequence<String>) -> [FailedCommandSet] {
        var found: [String: FailedCommandSet] = [:]
        var order: [String] = []
        for json in commandLists {
            guard let actions = PatternDocument.actions(fromJSON: json), !actions.isEmpty else { continue }
            let key = PatternCommands.key(actions)
            if found[key] == nil { order.append(key) }
            found[key, default: FailedCommandSet(actions: actions, failures: 0)].failures += 1
        }
        return order.compactMap { found[$0] }
    }
}

extension FailedCommandSet {
    /// The failure memory of several sources (this runner's journal, the other runners'
    /// attempts): one entry per command set with the failures added, in the order each set
    /// first appears.
    public static func combined(_ sources: [FailedCommandSet]...) -> [FailedCommandSet] {
        var found: [String: Int] = [:]
        var combined: [FailedCommandSet] = []
        for set in sources.joined() {
            let key = PatternCommands.key(set.actions)
            if let index = found[key] {
                combined[index].failures += set.failures
            } else {
                found[key] = combined.count
                combined.append(set)
            }
        }
        return combined
    }
}
