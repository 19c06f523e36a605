import Foundation
import JarvisCore

/// `jarvis approve` under the limits every runner shares (PostgreSQL configured): the
/// approved attempt is claimed like an ingest's (refused when another runner acted on the
/// occurrence meanwhile, naming it), then takes one action of the hourly budget counted in
/// PostgreSQL and the host's lock across runners, waiting its turn at most as long as a
/// command may run. With PostgreSQL away a runner that shares does not act; a single runner
/// acts on its own.
extension RemediationStage {
    /// Claims the approved attempt and reserves its action.
    /// - Returns: true when the host's shared lock must be released after the outcome.
    /// - Throws: `ApprovalError` saying why it does not run now.
    func claimApproved(_ record: RemediationRecord, id: Int64) throws -> Bool {
        guard let coordination else { return false }
        let request = ApprovalClaimRequest(
            attemptKey: record.key, eventKey: record.occurrenceKey + "/" + AlertStatus.firing.rawValue, alertKey: record.alertKey, host: record.host,
            runner: configuration.runner)
        do {
            switch try coordination.claimApproval(request) {
            case .mine: break
            case .actedOn(let runner, let attemptKey):
                throw ApprovalError("remediation #\(id) is not run: runner \(runner) already acted on this alert (\(attemptKey)); reject it")
            case .claimedBy(let runner):
                throw ApprovalError("remediation #\(id) is not run: runner \(runner) holds this attempt; approve it there")
            }
        } catch let error as ApprovalError {
            throw error
        } catch {
            guard configuration.runnerSettings.isShared else { return false }
            throw ApprovalError("remediation #\(id) is not run now: " + Self.noClaimReason(error), tryLater: true)
        }
        var reserved = false
        if let reason = reserveSharedAction(record, reserved: &reserved) {
            throw ApprovalError("remediation #\(id) is not run now: \(reason); it stays parked, try again later", tryLater: true)
        }
        return reserved
    }
}
