import Foundation
import JarvisCore

/// Claims: with PostgreSQL configured, an attempt is claimed there before anything is
/// planned or run, so runners that share the database (each fed the same alerts) act once.
///
/// - The attempt key is `remediation/<event key>#<n>`, the same on every runner: the claim
///   numbers the attempts of an occurrence in PostgreSQL (locally, without PostgreSQL, `n` is
///   one more than the attempts the journal holds for it).
/// - A runner that loses the claim records `deduplicated: claimed by runner R` as a decision
///   about the alert and counts the attempt in its own budget, so its triage sees it too.
/// - PostgreSQL unreachable: a single runner acts on its own (availability); a runner that
///   shares (`runner.mode: shared` or `runner.peers`) does not, because another runner may be
///   acting on the same alert and there is no claim to tell: it records and escalates.
/// - Before a command runs, the runner takes one action of the hourly budget counted in
///   PostgreSQL and the host's advisory lock (one action per host across runners).
extension RemediationStage {
    /// How an attempt starts.
    enum AttemptStart {
        /// Go on with this attempt key.
        case proceed
        /// Nothing more to do for this alert (with what to report, if anything).
        case done(Item?)
    }

    /// Finds the attempt key for an actionable alert and claims it; sets `record.key`.
    func startAttempt(
        _ triaged: TriageSession.Triaged, record: inout RemediationRecord, critical: Bool, session: inout TriageSession
    ) throws -> AttemptStart {
        let alert = triaged.alert
        let eventKey = alert.occurrence.idempotencyKey(status: alert.status)
        let earlier = try journal.attempts(eventKey: eventKey)
        if let existing = earlier.first(where: { $0.intentAt >= triaged.decidedAt }) {
            // Acted on already for this notification, by a run that died before saving the
            // triage state: count the attempt again to rebuild the budget, never act twice.
            if triaged.replayed && existing.approval == nil { session.recordAttempt(alertKey: alert.alertKey, at: existing.intentAt) }
            return .done(nil)
        }
        record.key = RemediationClaimRequest.attemptKey(eventKey: eventKey, attempt: earlier.count + 1)
        guard let coordination else { return .proceed }
        let request = RemediationClaimRequest(
            eventKey: eventKey, occurrenceKey: record.occurrenceKey, alertKey: record.alertKey, alertname: record.alertname, host: record.host,
            runner: configuration.runner, receivedAt: triaged.decidedAt, cooldown: configuration.triage.dedupCooldown,
            attemptLimit: configuration.triage.attempts.limit, attemptWindow: configuration.triage.attempts.window)
        let claim: RemediationClaim
        do {
            claim = try coordination.claim(request)
        } catch {
            guard configuration.runnerSettings.isShared else { return .proceed }
            return .done(
                try finishWithoutRunning(
                    &record, outcome: .escalated, error: Self.noClaimReason(error), kind: .escalated, session: &session, alertKey: alert.alertKey,
                    critical: critical))
        }
        switch claim {
        case .won(let key):
            record.key = key
            return .proceed
        case .lost(let runner, let key) where runner == configuration.runner:
            // This runner's own claim: acted on already (a later notification of the same
            // attempt), or from a run that died before the intent reached its journal: then
            // the outcome is unknown, and it is never run again.
            if try !journal.remediations(where: .key(key), limit: 1).isEmpty { return .done(nil) }
            record.key = key
            return .done(
                try finishWithoutRunning(
                    &record, outcome: .unknown, error: Self.unknownOutcome, kind: .escalated, session: &session, alertKey: alert.alertKey,
                    critical: critical))
        case .lost(let runner, let key):
            let reason = "deduplicated: claimed by runner \(runner)"
            session.recordAttempt(alertKey: alert.alertKey, at: now())
            session.recordClaimLost(triaged, reason: reason)
            record.key = key
            return .done(item(.deduplicated, record, reason: reason, critical: critical))
        case .exhausted(let attempts):
            session.recordClaimLost(
                triaged, kind: TriageDecision.budgetExhausted.kind,
                reason: "budget:exhausted: \(attempts) attempts at \(record.alertKey) across runners within \(Int(request.attemptWindow)) s")
            return .done(nil)
        }
    }

    /// Takes one action of the shared hourly budget and the host's lock across runners. While
    /// another runner acts on the host it waits its turn, at most as long as a command may run.
    /// - Returns: nil to go on (`reserved` true when the host lock must be released after
    ///   the outcome), or why not.
    func reserveSharedAction(_ record: RemediationRecord, reserved: inout Bool) -> String? {
        guard let coordination else { return nil }
        let limit = configuration.remediation.actionsPerHour
        let deadline = ContinuousClock.now + .seconds(configuration.ssh.commandTimeout + 5)
        do {
            while true {
                switch try coordination.reserveAction(attemptKey: record.key, host: record.host, limit: limit, window: 3600) {
                case .reserved:
                    reserved = true
                    return nil
                case .overBudget: return "the budget of \(limit) actions per hour is spent (counted across runners)"
                case .hostBusy:
                    guard ContinuousClock.now < deadline else {
                        return "another runner is still acting on \(record.host) (one action at a time per host)"
                    }
                    Thread.sleep(forTimeInterval: 0.2)
                }
            }
        } catch {
            return configuration.runnerSettings.isShared ? Self.noClaimReason(error) : nil
        }
    }

    static func noClaimReason(_ error: any Error) -> String {
        "not acting: PostgreSQL cannot be asked (\(SharedState.oneLine(error))) and other runners may act on the same alert (runner.mode: shared), "
            + "so a person decides; the alert is recorded"
    }

    static let unknownOutcome =
        "the outcome is unknown (jarvis stopped or lost the connection after writing the intent); not run again automatically"
}
