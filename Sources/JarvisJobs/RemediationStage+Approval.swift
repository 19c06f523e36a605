import Foundation
import JarvisCore

/// A person's answer to a high-risk plan that was parked for approval.
extension RemediationStage {
    /// Runs a parked plan after a person approved it: the commands are checked against the
    /// policy again (the catalog, the denylist and protected targets still apply; only the
    /// risk gate and the `approve` mode are lifted), the intent is written, then the commands
    /// run (or, where dry-run mode applies to the alert, are only recorded).
    /// - Throws: `ApprovalError` when there is no such parked plan or it no longer passes.
    public func approve(id: Int64) throws -> Item {
        guard var record = try journal.remediations(where: .id(id), limit: 1).first else { throw ApprovalError("no remediation #\(id)") }
        guard record.approval == .awaiting else {
            throw ApprovalError(
                "remediation #\(id) is not waiting for approval (approval: \(record.approval?.rawValue ?? "none"), outcome: \(record.outcome.rawValue))"
            )
        }
        guard let host = configuration.inventory.host(named: record.host) else {
            throw ApprovalError("remediation #\(id) is for host \(record.host), which is no longer in the inventory")
        }
        let policy = self.policy
        let context = context(for: host)
        var commands: [ResolvedCommand] = []
        for proposal in Self.proposals(record.commandsJSON, host: host.name) {
            switch policy.evaluate(proposal, host: host, context: context) {
            case .allowed(let command), .needsApproval(let command, _): commands.append(command)
            case .rejected(let rejection):
                throw ApprovalError("remediation #\(id) no longer passes the command policy: \(Self.describe(proposal)): \(rejection)")
            }
        }
        guard !commands.isEmpty else { throw ApprovalError("remediation #\(id) has no commands") }
        guard let hostLock = try locks.acquire(configuration.lockPath("remediate-\(host.name)"), timeout: 30) else {
            throw ApprovalError("another action is still running on \(host.name); try again when it is done")
        }
        defer { hostLock.release() }
        let time = now()
        record.approval = .approved
        record.intentAt = time
        record.outcome = .pending
        record.outcomeAt = nil
        record.error = nil
        record.escalated = false
        try journal.updateRemediation(record, forward: journaled, now: time)  // the intent, before anything runs
        let scope = scope(for: try journal.labels(occurrence: record.occurrenceKey) ?? [:], on: host)
        return try run(commands, on: host, recording: &record, reason: "approved by a person", critical: false, dryRun: scope.mode == .dryRun)
    }

    /// Refuses a parked plan: it is recorded as rejected by a person and never runs.
    public func reject(id: Int64, reason: String) throws -> Item {
        guard var record = try journal.remediations(where: .id(id), limit: 1).first else { throw ApprovalError("no remediation #\(id)") }
        guard record.approval == .awaiting else { throw ApprovalError("remediation #\(id) is not waiting for approval") }
        record.approval = .rejected
        record.outcome = .rejected
        record.outcomeAt = now()
        record.error = "rejected by a person: \(reason)"
        try journal.updateRemediation(record, forward: journaled, now: now())
        return item(.rejected, record, reason: record.error ?? "")
    }
}

/// `jarvis approve` / `jarvis reject` cannot proceed.
public struct ApprovalError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
