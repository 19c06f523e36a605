/// What one recorded state means for an alert key's flapping.
public enum FlapVerdict: String, Sendable, Hashable, Codable {
    /// Not flapping, and it did not start now.
    case stable
    /// The percent state change rose above the high threshold with this state: report it
    /// (this verdict comes once per flapping episode).
    case startedFlapping
    /// Still flapping: hold the alert key, report nothing new.
    case flapping
    /// The percent fell below the low threshold with this state: report the release once.
    case stoppedFlapping

    /// True for `.startedFlapping` and `.flapping`: the alert key is held.
    public var isFlapping: Bool { self == .startedFlapping || self == .flapping }
}
