import Foundation
import JarvisCore

extension YAMLReader {
    /// Reads `runner:`: either this runner's name (`runner: web-a`) or a mapping with `id`,
    /// `peers` and `mode`.
    mutating func readRunner(_ value: Any, into configuration: inout JarvisConfiguration) {
        if let name = value as? String {
            configuration.runner = name
            return
        }
        guard let map = mapping(value, "runner") else { return }
        for (key, value) in map {
            let path = "runner.\(key)"
            switch key {
            case "id":
                if let v = string(value, path) {
                    if v.isEmpty || v.count > 200 || v.contains(where: \.isNewline) {
                        problems.append(ConfigurationProblem(path, "expected a name of 1 to 200 characters on one line"))
                    } else {
                        configuration.runner = v
                    }
                }
            case "peers":
                if value is NSNull { continue }
                guard let names = list(value, path, of: "runner names") else { continue }
                configuration.runnerSettings.peers = names.compactMap { string($0.value, $0.path) }
            case "mode":
                guard let v = string(value, path) else { continue }
                if let mode = RunnerSettings.Mode(rawValue: v) {
                    configuration.runnerSettings.mode = mode
                } else {
                    problems.append(ConfigurationProblem(path, "expected single or shared, found \"\(v)\""))
                }
            default: unknown(path)
            }
        }
    }
}
