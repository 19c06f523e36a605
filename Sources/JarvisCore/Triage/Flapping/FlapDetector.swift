/// Flap detection for one alert key: a state machine that takes each new state (firing or
/// resolved) and returns a `FlapVerdict`.
///
/// The measure is the weighted percent state change of Nagios and Icinga: over the last
/// `window` states (so `window - 1` transitions, oldest first), each transition that
/// changes state adds a weight that grows linearly from 0.8 for the oldest slot to 1.2 for
/// the newest, and the sum is divided by `window - 1`, so a key that changes on every
/// notification scores 100 % and one that never changes scores 0 %. While fewer states than
/// the window are known, the missing oldest transitions count as "no change", as in Nagios.
/// (Icinga 2 itself keeps 20 change bits weighted `0.8 + 0.02 i` and divides by 20; the
/// spec's 0.8…1.2 curve over `window - 1` slots is used here.)
///
/// Hysteresis: flapping starts when the percent rises above `high` and stops only when it
/// falls below `low`; in between the previous verdict holds.
///
/// The state is small and bounded: at most `window` statuses and a few scalars.
public struct FlapDetector: Sendable, Equatable, Codable {
    /// The recent states, oldest first, at most `FlapThresholds.window` of them.
    public private(set) var states: [AlertStatus]
    /// Whether the alert key is currently flapping.
    public private(set) var isFlapping: Bool
    /// The weighted percent state change after the last recorded state, 0…100.
    public private(set) var percentStateChange: Double
    /// When the last state was recorded.
    public private(set) var lastRecordedAt: Timestamp?
    /// When the current flapping episode started, while flapping.
    public private(set) var flappingSince: Timestamp?

    /// A detector with no history.
    public init() {
        states = []
        isFlapping = false
        percentStateChange = 0
        lastRecordedAt = nil
        flappingSince = nil
    }

    /// A detector restored from its stored parts (see `TriageStateRow`).
    public init(states: [AlertStatus], isFlapping: Bool, percentStateChange: Double, lastRecordedAt: Timestamp?, flappingSince: Timestamp?) {
        self.states = states
        self.isFlapping = isFlapping
        self.percentStateChange = percentStateChange
        self.lastRecordedAt = lastRecordedAt
        self.flappingSince = flappingSince
    }

    /// Records one state of the alert key and says what it means.
    /// - Parameters:
    ///   - status: the status of the notification (each non-duplicate notification is one state).
    ///   - now: when it was triaged.
    ///   - thresholds: window and hysteresis thresholds.
    /// - Returns: `.startedFlapping` or `.stoppedFlapping` exactly when the flapping state
    ///   changes, else `.flapping` or `.stable`.
    public mutating func record(status: AlertStatus, at now: Timestamp, thresholds: FlapThresholds = .standard) -> FlapVerdict {
        let window = max(2, thresholds.window)
        states.append(status)
        if states.count > window { states.removeFirst(states.count - window) }
        lastRecordedAt = now
        percentStateChange = Self.percentStateChange(of: states, window: window)
        if isFlapping {
            if percentStateChange < thresholds.low {
                isFlapping = false
                flappingSince = nil
                return .stoppedFlapping
            }
            return .flapping
        }
        if percentStateChange > thresholds.high {
            isFlapping = true
            flappingSince = now
            return .startedFlapping
        }
        return .stable
    }

    /// The weighted percent state change of `states` (oldest first) for a window of
    /// `window` states. Only the newest `window` states count.
    /// - Parameters:
    ///   - states: statuses, oldest first.
    ///   - window: the number of states in the window (at least 2).
    /// - Returns: 0…100.
    public static func percentStateChange(of states: [AlertStatus], window: Int) -> Double {
        let window = max(2, window)
        let recent = states.suffix(window)
        let slots = window - 1
        guard recent.count >= 2 else { return 0 }
        let transitions = recent.count - 1
        var weighted = 0.0
        var previous: AlertStatus?
        var transition = 0
        for state in recent {
            defer { previous = state }
            guard let before = previous else { continue }
            // Transitions fill the newest slots; slot 0 is the oldest of the window.
            let slot = slots - transitions + transition
            transition += 1
            if state != before { weighted += weight(slot: slot, slots: slots) }
        }
        return 100 * weighted / Double(slots)
    }

    /// The weight of transition slot `slot` (0 = oldest) among `slots`: 0.8 … 1.2, linear.
    static func weight(slot: Int, slots: Int) -> Double {
        guard slots > 1 else { return 1 }
        return 0.8 + 0.4 * Double(slot) / Double(slots - 1)
    }
}
