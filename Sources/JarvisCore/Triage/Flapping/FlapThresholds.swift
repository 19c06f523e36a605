/// How flapping is measured: the window of recent states and the hysteresis thresholds.
///
/// Defaults (docs/behaviour.md, "Flapping"): a window of 20 states, start above 30 %, stop below 25 %.
public struct FlapThresholds: Sendable, Equatable {
    /// How many recent states of an alert key are kept (so `window - 1` transitions) [20].
    public var window: Int
    /// An alert key starts flapping when its weighted percent state change rises above this [30].
    public var high: Double
    /// A flapping alert key stops flapping when its percent falls below this [25].
    public var low: Double

    /// Creates thresholds; the defaults are the spec's.
    /// - Parameters:
    ///   - window: states kept per alert key; at least 2 for a transition to exist.
    ///   - high: percent above which flapping starts.
    ///   - low: percent below which flapping stops.
    public init(window: Int = 20, high: Double = 30, low: Double = 25) {
        self.window = window
        self.high = high
        self.low = low
    }
}
