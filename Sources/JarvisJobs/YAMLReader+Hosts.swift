import Foundation
import JarvisCore

/// Reading the `hosts:` inventory and the `ssh:` section, in the reader's style: every problem
/// carries its key path (`hosts[2].port`), unknown keys are reported, nothing throws.
extension YAMLReader {
    /// Reads the `hosts:` list into one `HostDefinition` per item, then adds the problems
    /// `HostInventory.validate()` finds (duplicate names, ports out of range, unknown parents,
    /// parent cycles, routes claimed twice…).
    ///
    /// An item with problems still yields a host (with empty text where a value was unusable),
    /// so that `validate()` paths keep pointing at the right item; a validation problem at a
    /// path this reader already reported is left out, so each mistake is reported once.
    ///
    /// - Parameter value: The parsed value of `hosts:`.
    /// - Returns: The hosts, in file order.
    mutating func readHosts(_ value: Any) -> [HostDefinition] {
        guard let items = list(value, "hosts", of: "hosts") else { return [] }
        let before = problems.count
        var hosts: [HostDefinition] = []
        for item in items { hosts.append(readHost(item.value, path: item.path)) }
        let reported = problems[before...].map(\.keyPath)
        for problem in HostInventory(hosts: hosts).validate() {
            let covered = reported.contains { path in
                problem.path == path || problem.path.hasPrefix(path + ".") || problem.path.hasPrefix(path + "[")
            }
            if !covered { problems.append(ConfigurationProblem(problem.path, problem.message)) }
        }
        return hosts
    }

    private mutating func readHost(_ item: Any, path: String) -> HostDefinition {
        var host = HostDefinition(name: "", address: "")
        guard let map = mapping(item, path) else { return host }
        var sawName = false
        var sawAddress = false
        for (key, value) in map {
            let keyPath = "\(path).\(key)"
            switch key {
            case "name":
                sawName = true
                if let text = string(value, keyPath) { host.name = text }
            case "address":
                sawAddress = true
                if let text = string(value, keyPath) { host.address = text }
            case "port":
                if let number = integer(value, keyPath, in: Int.min...Int.max) { host.port = number }
            case "user":
                if let text = string(value, keyPath) { host.user = text }
            case "identity_file":
                if value is NSNull { continue }
                if let text = string(value, keyPath) { host.identityFile = text.isEmpty ? nil : text }
            case "known_hosts_file":
                if value is NSNull { continue }
                if let text = string(value, keyPath) { host.knownHostsFile = text.isEmpty ? nil : text }
            case "routes":
                if value is NSNull { continue }
                if let routes = readRoutes(value, path: keyPath) { host.routes = routes }
            case "parents":
                if value is NSNull { continue }
                if let parents = stringList(value, keyPath) { host.parents = parents }
            case "local":
                if let flag = boolean(value, keyPath) { host.local = flag }
            case "units":
                if value is NSNull { continue }
                if let names = stringList(value, keyPath) { host.units = names }
            case "containers":
                if value is NSNull { continue }
                if let names = stringList(value, keyPath) { host.containers = names }
            case "remediation":
                guard let remediation = section(value, keyPath) else { continue }
                for (subKey, subValue) in remediation {
                    guard subKey == "mode" else {
                        unknown("\(keyPath).\(subKey)")
                        continue
                    }
                    host.remediationMode = remediationMode(subValue, "\(keyPath).mode")
                }
            default:
                unknown(keyPath)
            }
        }
        if !sawName { problems.append(ConfigurationProblem("\(path).name", "required: every host needs a name")) }
        if !sawAddress { problems.append(ConfigurationProblem("\(path).address", "required: every host needs an address (a name or an IP)")) }
        return host
    }

    private mutating func readRoutes(_ value: Any, path: String) -> HostRoutes? {
        guard let map = mapping(value, path) else { return nil }
        var routes = HostRoutes()
        for (key, subValue) in map {
            let keyPath = "\(path).\(key)"
            switch key {
            case "labels":
                guard let labels = section(subValue, keyPath) else { continue }
                for (label, values) in labels {
                    // A single value may be written without brackets: `host: db1`.
                    if let one = values as? String {
                        routes.labels[label] = [one]
                    } else if let list = stringList(values, "\(keyPath).\(label)") {
                        routes.labels[label] = list
                    }
                }
            case "instance_prefixes":
                if subValue is NSNull { continue }
                if let prefixes = stringList(subValue, keyPath) { routes.instancePrefixes = prefixes }
            default:
                unknown(keyPath)
            }
        }
        return routes
    }

    /// Reads the `ssh:` section.
    ///
    /// - Parameters:
    ///   - map: The section's mapping.
    ///   - settings: Updated with every valid value.
    mutating func readSSH(_ map: [String: Any], into settings: inout SSHSettings) {
        for (key, value) in map {
            let path = "ssh.\(key)"
            switch key {
            case "connect_timeout": if let v = seconds(value, path, in: 0.1...600) { settings.connectTimeout = v }
            case "command_timeout": if let v = seconds(value, path, in: 0.1...86_400) { settings.commandTimeout = v }
            case "output_cap":
                if let v = byteSize(value, path) {
                    if v <= 64 << 20 {
                        settings.outputCap = v
                    } else {
                        problems.append(ConfigurationProblem(path, "\(v) bytes is more than the 64MiB limit"))
                    }
                }
            case "retries": if let v = integer(value, path, in: 1...10) { settings.retries = v }
            case "retry_jitter":
                if let v = value as? Double ?? (value as? Int).map(Double.init), !(value is Bool), (0...1).contains(v) {
                    settings.retryJitter = v
                } else {
                    problems.append(ConfigurationProblem(path, "expected a fraction from 0 to 1 (such as 0.25), found \(Self.kind(value))"))
                }
            case "offline_after": if let v = integer(value, path, in: 1...100) { settings.offlineAfter = v }
            case "recheck_interval": if let v = seconds(value, path, in: 0...604_800) { settings.recheckInterval = v }
            case "probe_timeout": if let v = seconds(value, path, in: 0.05...600) { settings.probeTimeout = v }
            case "probe_concurrency": if let v = integer(value, path, in: 1...4096) { settings.probeConcurrency = v }
            default: unknown(path)
            }
        }
    }

    /// A list of text values; each bad element is reported at `path[i]`.
    mutating func stringList(_ value: Any, _ path: String) -> [String]? {
        guard let items = list(value, path) else { return nil }
        return items.compactMap { string($0.value, $0.path) }
    }

    private mutating func boolean(_ value: Any, _ path: String) -> Bool? {
        if let flag = value as? Bool { return flag }
        problems.append(ConfigurationProblem(path, "expected true or false, found \(Self.kind(value))"))
        return nil
    }

    /// Seconds, as a number (`300`, `2.5`) or a duration (`90s`, `5m`, `1h30m`).
    mutating func seconds(_ value: Any, _ path: String, in range: ClosedRange<Double>) -> Double? {
        var seconds: Double?
        if value is Bool {
            seconds = nil
        } else if let number = value as? Int {
            seconds = Double(number)
        } else if let number = value as? Double {
            seconds = number
        } else if let text = value as? String {
            do {
                seconds = Double(try DurationParser.parse(text))
            } catch {
                problems.append(ConfigurationProblem(path, "\(error) (or give seconds as a number)"))
                return nil
            }
        }
        guard let seconds else {
            problems.append(ConfigurationProblem(path, "expected seconds (such as 10, 2.5 or 5m), found \(Self.kind(value))"))
            return nil
        }
        guard range.contains(seconds) else {
            problems.append(
                ConfigurationProblem(
                    path, "\(Self.format(seconds)) s is out of range \(Self.format(range.lowerBound))…\(Self.format(range.upperBound)) s"))
            return nil
        }
        return seconds
    }

    private static func format(_ seconds: Double) -> String {
        seconds == seconds.rounded() ? String(Int(seconds)) : String(seconds)
    }
}
