/// The state Alertmanager reports for one alert. Each alert carries its own status: a
/// `firing` group can contain `resolved` alerts.
public enum AlertStatus: String, Sendable, Hashable, Codable {
    case firing
    case resolved
}
