import Foundation
import JarvisCore

/// Alerts and instants for triage tests: every time is an explicit offset from `t0`.
public enum TriageFixtures {
    /// 2026-11-29T03:00:00Z, the reference instant of triage tests.
    public static let t0 = Timestamp(seconds: 1_795_921_200)

    /// `t0` plus `seconds`.
    /// - Parameter seconds: offset from `t0`, may be negative or fractional.
    public static func at(_ seconds: Double) -> Timestamp { t0.adding(seconds: seconds) }

    /// An alert named `alertname` with `labels` (plus `alertname`), starting at `startsAt`.
    /// - Parameters:
    ///   - alertname: the `alertname` label.
    ///   - status: the alert's own status.
    ///   - labels: further labels.
    ///   - startsAt: when the occurrence started.
    ///   - endsAt: when it ended, for resolved alerts.
    public static func alert(
        _ alertname: String, status: AlertStatus = .firing, labels: [String: String] = [:], startsAt: Timestamp = t0,
        endsAt: Timestamp? = nil
    ) -> Alert {
        var all = labels
        all["alertname"] = alertname
        return Alert(status: status, labels: all, startsAt: startsAt, endsAt: endsAt)
    }

    /// The same alert with another status (and, for resolved, an end time).
    /// - Parameters:
    ///   - alert: the firing alert.
    ///   - endsAt: when it resolved.
    public static func resolved(_ alert: Alert, endsAt: Timestamp? = nil) -> Alert {
        var copy = alert
        copy.status = .resolved
        copy.endsAt = endsAt
        return copy
    }

    /// The four alerts of the bundled VPN-down cascade sample: WireGuardVPNDown on
    /// `outpost`, VPSHostDown and PostgreSQLDown on `vps`, ContainerDown of nginx on `vps`.
    public static var vpnCascade: (vpn: Alert, vpsHostDown: Alert, postgres: Alert, container: Alert) {
        (
            alert(
                "WireGuardVPNDown",
                labels: ["system": "outpost", "interface": "wg0", "severity": "critical", "remediation_host": "outpost"]),
            alert("VPSHostDown", labels: ["system": "vps", "instance": "vps.home.arpa:9100", "severity": "critical"]),
            alert("PostgreSQLDown", labels: ["system": "vps", "instance": "vps.home.arpa:9187", "severity": "critical"]),
            alert("ContainerDown", labels: ["host": "vps", "container": "nginx", "severity": "warning"])
        )
    }
}

extension Timestamp {
    /// The real time, for tests that run jobs as the binary would (the core has no clock).
    public static func wallClock() -> Timestamp {
        var clock = timespec()
        clock_gettime(CLOCK_REALTIME, &clock)
        return Timestamp(seconds: Int64(clock.tv_sec), nanoseconds: Int32(clock.tv_nsec))
    }
}
