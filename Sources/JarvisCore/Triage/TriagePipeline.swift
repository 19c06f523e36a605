/// The triage rules of docs/behaviour.md, applied to one alert at a time, in order: dedup,
/// resolved, maintenance, host offline, cascade, flapping, attempt budget; what passes them
/// all is actionable (or unroutable, when it has no host).
///
/// Pure: no I/O and no clock. Time comes in as `now`; state comes in as `TriageState` and
/// goes out as `state`.
///
/// Some facts are recorded for every notification that is not a duplicate, whatever the
/// decision: its state in the alert key's flap history, its open occurrence, and, for a
/// root-cause signal or inhibit source, its root cause (so a VPS host-down that is itself
/// suppressed by a VPN root cause still hides the VPS's containers, and still does once
/// the VPN is back). Only remediation attempts, reported through `recordAttempt`, spend
/// the budget.
///
/// One ingest run looks like this:
///
/// ```swift
/// var pipeline = TriagePipeline(configuration: config, graph: CascadeGraph(configuration: cascade, hostParents: parents),
///                               state: loadedState)
/// pipeline.prune(now: now)
/// let again = pipeline.reevaluateParked(windows: windows, now: now)   // windows that ended
/// for alert in again + newAlerts {                                    // in order
///     let outcome = pipeline.triage(alert, host: router.route(alert), hosts: availability, windows: windows, now: now)
///     // record outcome.decision / outcome.reason, apply outcome.maintenanceWindowHit,
///     // send outcome.flapReport and outcome.escalation, remediate when .actionable and,
///     // for each remediation attempt: pipeline.recordAttempt(alertKey: outcome.alertKey, at: time)
/// }
/// save(pipeline.state)
/// ```
public struct TriagePipeline: Sendable {
    /// The numbers the rules use.
    public let configuration: TriageConfiguration
    /// The dependency graph, signals and inhibit rules.
    public let graph: CascadeGraph
    /// The state to save after the run.
    public private(set) var state: TriageState
    /// Parked alerts handed back by `reevaluateParked`, by occurrence, with their last
    /// firing notification time; their next triage skips dedup and does not count as a new
    /// notification.
    private var reevaluating: [String: Timestamp] = [:]

    /// Creates a pipeline for one run.
    /// - Parameters:
    ///   - configuration: cooldowns, thresholds, budgets.
    ///   - graph: the cascade graph (host parents, services, signals, inhibit rules).
    ///   - state: the state saved by the previous run, or `TriageState()` on the first.
    public init(
        configuration: TriageConfiguration = TriageConfiguration(), graph: CascadeGraph = CascadeGraph(), state: TriageState = TriageState()
    ) {
        self.configuration = configuration
        self.graph = graph
        self.state = state
        self.state.rootCauses.ttl = configuration.rootCauseTTL
    }

    /// Decides what to do with one alert and updates the state.
    /// - Parameters:
    ///   - alert: one alert, with its own status (not the group's).
    ///   - host: where its remediation would run, as routed from the host inventory.
    ///   - hosts: availability of inventory hosts by name (hosts missing are taken as online).
    ///   - windows: maintenance windows (active or not; inactive ones are ignored).
    ///   - now: the run's time.
    /// - Returns: the decision, its reason and the side effects for the caller.
    public mutating func triage(
        _ alert: Alert, host: HostRouting, hosts: [String: HostAvailability] = [:], windows: [MaintenanceWindow] = [], now: Timestamp
    ) -> TriageOutcome {
        let occurrence = alert.occurrence
        let occurrenceID = occurrence.description
        let alertKey = alert.alertKey
        let keyID = alertKey.description
        let idempotencyKey = OccurrenceKey.idempotencyKey(description: occurrenceID, status: alert.status)
        let reevaluatedLastSeen =
            alert.status == .firing && !reevaluating.isEmpty ? reevaluating.removeValue(forKey: occurrenceID) : nil
        let isReevaluation = reevaluatedLastSeen != nil
        func outcome(_ decision: TriageDecision, reason: String? = nil) -> TriageOutcome {
            TriageOutcome(decision: decision, reason: reason, alertKey: alertKey, occurrence: occurrence, status: alert.status)
        }

        // 1. Dedup: the same occurrence and status within the cooldown.
        if !isReevaluation {
            // One hash lookup for the usual new key: store `now`, and put the previous time
            // back when it turns out to be a duplicate.
            if let last = state.processed.updateValue(now, forKey: idempotencyKey), now.seconds(since: last) < configuration.dedupCooldown {
                state.processed[idempotencyKey] = last
                let ago = DurationParser.format(seconds: now.seconds(since: last))
                let cooldown = DurationParser.format(seconds: configuration.dedupCooldown)
                return outcome(.deduplicated, reason: "duplicate: \(idempotencyKey) was processed \(ago) ago (cooldown \(cooldown))")
            }
        }

        // Every new notification is one state of the alert key, whatever is decided below.
        var flapReport: FlapReport?
        // The detector's flapping state after this notification, for rule 6 (nil: look it up).
        var flapping: (isFlapping: Bool, percent: Double)?
        if !isReevaluation {
            // Recorded in place in the dictionary: no copy of the detector's history.
            let (verdict, isFlapping, percent) = Self.record(
                &state.flapDetectors[keyID, default: FlapDetector()], status: alert.status, at: now, thresholds: configuration.flapping)
            flapping = (isFlapping, percent)
            if verdict == .startedFlapping || verdict == .stoppedFlapping {
                flapReport = FlapReport(alertKey: keyID, verdict: verdict, percentStateChange: percent, at: now)
            }
        }

        // 2. Resolved: close the occurrence, reset the budget, clear a root cause.
        if alert.status == .resolved {
            let closed = state.openOccurrences.removeValue(forKey: occurrenceID)
            let end = alert.endsAt.flatMap { $0 >= alert.startsAt ? min($0, now) : nil } ?? now
            let duration = max(0, end.seconds(since: alert.startsAt))
            let budgetReset = state.budgets.removeValue(forKey: keyID) != nil
            let rootCause = state.rootCauses.resolve(alert: alert)
            if !state.parked.isEmpty { state.parked.removeValue(forKey: occurrenceID) }
            var result = outcome(.resolved(duration: duration))
            result.closedOccurrence = closed
            if budgetReset { result.reason += "; attempt budget and escalation cooldown reset" }
            if rootCause != nil { result.reason += "; no longer a root cause" }
            result.flapReport = flapReport
            return result
        }

        let hostName = host.hostName
        if !isReevaluation {
            // In place: one hash lookup, and the first sighting kept when there was one.
            Self.see(
                &state.openOccurrences[
                    occurrenceID,
                    default: OpenOccurrence(
                        occurrence: occurrenceID, alertKey: keyID, startsAt: alert.startsAt, firstSeenAt: now, lastSeenAt: now)
                ], occurrence: occurrenceID, alertKey: keyID, startsAt: alert.startsAt, at: now)
            state.rootCauses.refresh(alert: alert, host: hostName, graph: graph, at: now)
        }

        // 3. Maintenance: park the alert so it is triaged again when the window is over.
        if !windows.isEmpty, let window = MaintenanceSchedule(windows).window(covering: hostName, at: now) {
            let previous = state.parked[occurrenceID]
            state.parked[occurrenceID] = ParkedAlert(
                alert: alert, windowID: window.id, parkedAt: previous?.parkedAt ?? now, lastSeenAt: reevaluatedLastSeen ?? now)
            let scope = window.host.map { "host \($0)" } ?? "all hosts"
            var result = outcome(
                .suppressedMaintenance(windowID: window.id),
                reason: "suppressed: maintenance window #\(window.id) (\(scope), by \(window.author): \(window.reason))")
            result.maintenanceWindowHit = window.id
            result.parked = true
            result.flapReport = flapReport
            return result
        }
        if !state.parked.isEmpty { state.parked.removeValue(forKey: occurrenceID) }

        // 4. Host offline: the alert's host, or the nearest offline parent.
        if let hostName, !hosts.isEmpty {
            func offline(_ candidate: String) -> TriageOutcome? {
                guard let availability = hosts[candidate], availability.isOffline else { return nil }
                let decision = TriageDecision.suppressedHostOffline(host: candidate, since: availability.offlineSince)
                var reason = decision.reason
                if candidate != hostName { reason += " (a parent of \(hostName))" }
                var result = outcome(decision, reason: reason)
                result.flapReport = flapReport
                return result
            }
            if let result = offline(hostName) { return result }
            if graph.hostParents[hostName] != nil {
                for candidate in graph.hostAncestors(of: hostName) {
                    if let result = offline(candidate) { return result }
                }
            }
        }

        // 5. Cascade: an active root cause hides this alert.
        let chain = state.rootCauses.causes.isEmpty ? [] : state.rootCauses.suppressionChain(for: alert, host: hostName, graph: graph, at: now)
        if let ultimate = chain.last {
            var reason = "suppressed: root cause \(ultimate.summary) is active"
            if chain.count > 1 { reason += " (via " + chain.dropLast().reversed().map(\.summary).joined(separator: " → ") + ")" }
            var result = outcome(.suppressedCascade(rootCause: ultimate.occurrence), reason: reason)
            result.rootCauseChain = chain
            result.flapReport = flapReport
            return result
        }

        // 6. Flapping: held while the alert key flaps.
        if let (isFlapping, percentStateChange) = flapping ?? state.flapDetectors[keyID].map({ ($0.isFlapping, $0.percentStateChange) }),
            isFlapping
        {
            let percent = (percentStateChange * 10).rounded() / 10
            var result = outcome(.heldFlapping, reason: "held: \(keyID) is flapping (\(percent) % state change); no remediation until it settles")
            result.flapReport = flapReport
            return result
        }

        // 7. Attempt budget: escalate once when spent, then stay silent for the cooldown.
        if !state.budgets.isEmpty, var budget = state.budgets[keyID] {
            let action = budget.evaluate(at: now, policy: configuration.attempts)
            state.budgets[keyID] = budget
            switch action {
            case .escalate:
                let critical = Escalation.isCritical(alert.labels)
                var result = outcome(.escalated(critical: critical))
                result.escalation = Escalation(
                    alertKey: keyID, alertname: alert.alertname, occurrence: occurrenceID, critical: critical,
                    attempts: budget.attemptsInWindow(at: now, policy: configuration.attempts),
                    windowSeconds: configuration.attempts.window, at: now)
                result.flapReport = flapReport
                return result
            case .silent:
                var result = outcome(.budgetExhausted)
                result.flapReport = flapReport
                return result
            case .allow:
                break
            }
        }

        // Nothing holds it back; it still needs a host to act on.
        var result: TriageOutcome
        if case .unroutable(let reason) = host {
            result = outcome(.unroutable(reason: reason))
        } else {
            result = outcome(.actionable)
        }
        result.flapReport = flapReport
        return result
    }

    /// Records one state in a detector held in place (in the state's dictionary).
    /// - Returns: the verdict, and the flapping state and percent after it.
    private static func record(
        _ detector: inout FlapDetector, status: AlertStatus, at now: Timestamp, thresholds: FlapThresholds
    ) -> (FlapVerdict, Bool, Double) {
        let verdict = detector.record(status: status, at: now, thresholds: thresholds)
        return (verdict, detector.isFlapping, detector.percentStateChange)
    }

    /// Marks an open occurrence, held in place, as seen firing at `now`: as a new
    /// `OpenOccurrence` with the same `firstSeenAt`.
    private static func see(
        _ open: inout OpenOccurrence, occurrence: String, alertKey: String, startsAt: Timestamp, at now: Timestamp
    ) {
        open.occurrence = occurrence
        open.alertKey = alertKey
        open.startsAt = startsAt
        open.lastSeenAt = now
    }

    /// Records one remediation attempt for an alert key (a rejected command, an LLM
    /// failure and a failed verification all count). Actionable decisions do not spend the
    /// budget by themselves; only this does.
    /// - Parameters:
    ///   - alertKey: the key the attempt was made for.
    ///   - now: when it was made.
    /// - Returns: how many attempts remain within the window.
    @discardableResult
    public mutating func recordAttempt(alertKey: AlertKey, at now: Timestamp) -> Int {
        var budget = state.budgets[alertKey.description] ?? AttemptBudget()
        let remaining = budget.recordAttempt(at: now, policy: configuration.attempts)
        state.budgets[alertKey.description] = budget
        return remaining
    }

    /// Takes out the parked alerts whose maintenance window is over at `now` (ended by
    /// hand, past its end, or no longer known) and returns them, oldest first, to be
    /// triaged again in this run. Their next `triage` skips dedup and is not counted as a
    /// new notification; if another window covers them, they are parked again.
    /// - Parameters:
    ///   - windows: the maintenance windows.
    ///   - now: the run's time.
    /// - Returns: the alerts to triage again.
    public mutating func reevaluateParked(windows: [MaintenanceWindow], now: Timestamp) -> [Alert] {
        var active: Set<Int64> = []
        for window in windows where window.isActive(at: now) { active.insert(window.id) }
        let due = state.parked.filter { !active.contains($0.value.windowID) }.sorted { a, b in
            (a.value.parkedAt, a.key) < (b.value.parkedAt, b.key)
        }
        for (key, parked) in due {
            state.parked.removeValue(forKey: key)
            reevaluating[key] = parked.lastSeenAt
        }
        return due.map(\.value.alert)
    }

    /// Puts stored rows of the state's large parts back (see `TriageState.insert(rows:…)`).
    /// - Returns: the keys of rows that could not be decoded.
    @discardableResult
    public mutating func insert(rows: [(key: String, value: [UInt8])], prunedAt: Timestamp?) -> [String] {
        state.insert(rows: rows, prunedAt: prunedAt, configuration: configuration)
    }

    /// Takes the state's large parts out as rows (see `TriageState.takeRows(configuration:)`).
    public mutating func takeRows() -> [TriageStateRow] {
        state.takeRows(configuration: configuration)
    }

    /// Drops state that no longer matters (see `TriageState.prune(at:configuration:)`).
    /// Call it once per run.
    /// - Parameter now: the run's time.
    /// - Returns: how many entries were dropped.
    @discardableResult
    public mutating func prune(now: Timestamp) -> Int {
        state.prune(at: now, configuration: configuration)
    }
}
