import Foundation
import JarvisCore

/// What the remediation stage must know about one alert's target beyond the plan: which
/// names the policy protects and which the alert and inventory name, and which mode applies.
extension RemediationStage {
    /// The policy context for `host`: protected names, whether it is the jarvis host (and
    /// jarvis's PostgreSQL is on it), and, for an alert, the names its labels and the host's
    /// `units:` / `containers:` give (an acting command on anything else waits for a person).
    ///
    /// - Parameters:
    ///   - host: The inventory host.
    ///   - labels: The alert's labels; nil when a person already asked for the command.
    func context(for host: HostDefinition, labels: [String: String]? = nil) -> PolicyContext {
        let settings = configuration.remediation
        return PolicyContext(
            protectedContainers: settings.protectedContainers, protectedUnits: settings.protectedUnits,
            targetIsJarvisHost: host.local || host.name == settings.jarvisHost,
            databaseIsLocal: configuration.postgres.map(\.isLocal) ?? false,
            namedTargets: labels.map { PolicyContext.namedTargets(labels: $0, units: host.units, containers: host.containers) })
    }

    /// The mode for an alert on `host`: `remediation.mode`, the host's own and the matching
    /// `remediation.rules`, the most cautious winning.
    func scope(for labels: [String: String], on host: HostDefinition) -> RemediationScope {
        let settings = configuration.remediation
        return RemediationScope.resolve(global: settings.mode, host: (host.name, host.remediationMode), rules: settings.rules, labels: labels)
    }
}

extension PostgresSettings {
    /// True when the configured server runs on this machine: a Unix socket, `localhost` or a
    /// loopback address, or no host at all (libpq then uses its local socket).
    public var isLocal: Bool { PostgresSettings.isLocal(url: url?.value) }

    /// See `isLocal`; `url` is a `postgresql://` URL or a `key=value` conninfo.
    static func isLocal(url: String?) -> Bool {
        guard let url, !url.isEmpty else { return true }
        var hosts: [String] = []
        if let scheme = ["postgresql://", "postgres://"].first(where: url.hasPrefix) {
            var rest = url.dropFirst(scheme.count)
            let query = rest.firstIndex(of: "?").map { String(rest[rest.index(after: $0)...]) }
            if let end = rest.firstIndex(where: { $0 == "/" || $0 == "?" }) { rest = rest[..<end] }
            if let at = rest.lastIndex(of: "@") { rest = rest[rest.index(after: at)...] }
            for part in rest.split(separator: ",", omittingEmptySubsequences: false) {
                var host = String(part)
                if host.hasPrefix("[") {
                    host = String(host.dropFirst().prefix { $0 != "]" })
                } else if let colon = host.firstIndex(of: ":") {
                    host = String(host[..<colon])
                }
                hosts.append(host.removingPercentEncoding ?? host)
            }
            for pair in (query ?? "").split(separator: "&") where pair.hasPrefix("host=") {
                let value = String(pair.dropFirst(5))
                hosts = [value.removingPercentEncoding ?? value]
            }
        } else {
            for pair in url.split(separator: " ") where pair.hasPrefix("host=") || pair.hasPrefix("hostaddr=") {
                hosts = [String(pair.split(separator: "=", maxSplits: 1).last ?? "")]
            }
            if hosts.isEmpty { hosts = [""] }
        }
        return hosts.allSatisfy { host in
            let host = host.lowercased()
            return host.isEmpty || host.hasPrefix("/") || host.hasPrefix("@") || host == "localhost" || host == "::1"
                || host.hasPrefix("127.")
        }
    }
}
