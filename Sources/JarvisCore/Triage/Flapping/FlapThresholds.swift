/// How flapping is measured: the window of recent states and the hysteresis thresholds.
///
/// Defaults (docs/behaviour.md, "Flapping"): a window of 20 states, start above 30 %, stop below 25 %.
public struct FlapThresholds: Sendable, Equatable {
    /// How many recent states of an alert key are kept (so `window - 1` transitions) [20].
    public var window = 20
    /// An alert key starts flapping when its weighted percent state change rises above this [30].
    public var high: Double = 30
    /// A flapping alert key stops flapping when its percent falls below this [25].
    public var low: Double = 25

    /// The default thresholds (the figures above); others come from the configuration.
    public static let standard = FlapThresholds()
}
