import Foundation
import JarvisCore

/// Reading the `triage:` numbers and the `cascade:` dependency graph, in the reader's style:
/// every problem carries its key path, unknown keys are reported, nothing throws.
extension YAMLReader {
    /// Reads `triage:` (durations as seconds or text such as `5m`, `2h`).
    mutating func readTriage(_ map: [String: Any], into settings: inout TriageConfiguration) {
        let day = 86_400.0
        for (key, value) in map {
            let path = "triage.\(key)"
            switch key {
            case "dedup_cooldown": if let v = seconds(value, path, in: 0...day) { settings.dedupCooldown = v }
            case "root_cause_ttl": if let v = seconds(value, path, in: 1...(7 * day)) { settings.rootCauseTTL = v }
            case "occurrence_retention": if let v = seconds(value, path, in: 60...(365 * day)) { settings.occurrenceRetention = v }
            case "flap_history_retention": if let v = seconds(value, path, in: 60...(365 * day)) { settings.flapHistoryRetention = v }
            case "flapping":
                guard let sub = mapping(value, path) else { continue }
                for (name, subValue) in sub {
                    let subPath = "\(path).\(name)"
                    switch name {
                    case "window": if let v = integer(subValue, subPath, in: 2...1000) { settings.flapping.window = v }
                    case "high": if let v = percent(subValue, subPath) { settings.flapping.high = v }
                    case "low": if let v = percent(subValue, subPath) { settings.flapping.low = v }
                    default: unknown(subPath)
                    }
                }
                if settings.flapping.low > settings.flapping.high {
                    problems.append(ConfigurationProblem(path, "low (\(settings.flapping.low)) must not be above high (\(settings.flapping.high))"))
                }
            case "attempts":
                guard let sub = mapping(value, path) else { continue }
                for (name, subValue) in sub {
                    let subPath = "\(path).\(name)"
                    switch name {
                    case "limit": if let v = integer(subValue, subPath, in: 1...100) { settings.attempts.limit = v }
                    case "window": if let v = seconds(subValue, subPath, in: 1...(30 * day)) { settings.attempts.window = v }
                    case "escalation_cooldown":
                        if let v = seconds(subValue, subPath, in: 0...(30 * day)) { settings.attempts.escalationCooldown = v }
                    default: unknown(subPath)
                    }
                }
            default: unknown(path)
            }
        }
    }

    /// Reads `cascade:`: `host_labels`, `signals`, `services`, `host_dependencies` and
    /// `inhibit_rules`, in the same shapes as the core's `CascadeConfiguration` (keys in
    /// snake_case). Decoding problems and dangling references are reported with their paths.
    mutating func readCascade(_ value: Any) -> CascadeConfiguration? {
        guard let map = mapping(value, "cascade") else { return nil }
        let known = ["host_labels", "signals", "services", "host_dependencies", "inhibit_rules"]
        for key in map.keys where !known.contains(key) { unknown("cascade.\(key)") }
        let converted = Self.camelKeys(map.filter { known.contains($0.key) }, keepKeysOf: ["hostDependencies"])
        let configuration: CascadeConfiguration
        do {
            let data = try JSONSerialization.data(withJSONObject: converted)
            configuration = try JSONDecoder().decode(CascadeConfiguration.self, from: data)
        } catch let error as DecodingError {
            problems.append(Self.problem(error, under: "cascade"))
            return nil
        } catch {
            problems.append(ConfigurationProblem("cascade", "cannot be read: \(error)"))
            return nil
        }
        for problem in configuration.problems {
            let path = problem.split(separator: ":", maxSplits: 1).first.map(String.init) ?? "cascade"
            let message = problem.split(separator: ":", maxSplits: 1).dropFirst().first.map { $0.trimmingCharacters(in: .whitespaces) } ?? problem
            problems.append(ConfigurationProblem(Self.snakePath(path), message))
        }
        return configuration
    }

    private mutating func percent(_ value: Any, _ path: String) -> Double? {
        let number: Double? = (value is Bool) ? nil : (value as? Int).map(Double.init) ?? (value as? Double)
        guard let number, (0...100).contains(number) else {
            problems.append(ConfigurationProblem(path, "expected a percentage 0…100, found \(Self.kind(value))"))
            return nil
        }
        return number
    }

    /// `host_labels` → `hostLabels`, recursively, except the keys of mappings named in
    /// `keepKeysOf` (host names stay as written).
    static func camelKeys(_ value: Any, keepKeysOf: Set<String>, keepThisLevel: Bool = false) -> Any {
        if let map = value as? [String: Any] {
            var out: [String: Any] = [:]
            for (key, sub) in map {
                let name = keepThisLevel ? key : camel(key)
                out[name] = camelKeys(sub, keepKeysOf: keepKeysOf, keepThisLevel: keepKeysOf.contains(name) && !keepThisLevel)
            }
            return out
        }
        if let list = value as? [Any] { return list.map { camelKeys($0, keepKeysOf: keepKeysOf) } }
        return value
    }

    static func camel(_ key: String) -> String {
        let parts = key.split(separator: "_", omittingEmptySubsequences: false)
        guard parts.count > 1 else { return key }
        return String(parts[0]) + parts.dropFirst().map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
    }

    static func snake(_ key: String) -> String {
        var out = ""
        for character in key {
            if character.isUppercase {
                out += "_" + character.lowercased()
            } else {
                out.append(character)
            }
        }
        return out
    }

    static func snakePath(_ path: String) -> String {
        path.split(separator: ".", omittingEmptySubsequences: false).map { snake(String($0)) }.joined(separator: ".")
    }

    static func problem(_ error: DecodingError, under root: String) -> ConfigurationProblem {
        func path(_ codingPath: [any CodingKey]) -> String {
            var out = root
            for key in codingPath {
                if let index = key.intValue { out += "[\(index)]" } else { out += "." + snake(key.stringValue) }
            }
            return out
        }
        switch error {
        case .keyNotFound(let key, let context):
            return ConfigurationProblem(path(context.codingPath + [key]), "is required")
        case .typeMismatch(let type, let context):
            return ConfigurationProblem(path(context.codingPath), "expected \(DecodingError.expectedKind(type))")
        case .valueNotFound(_, let context):
            return ConfigurationProblem(path(context.codingPath), "is missing a value")
        case .dataCorrupted(let context):
            return ConfigurationProblem(path(context.codingPath), context.debugDescription)
        @unknown default:
            return ConfigurationProblem(root, "\(error)")
        }
    }
}
