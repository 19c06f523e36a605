import Foundation
import JarvisCore

/// Reading `remediation:` and `llm:` in the reader's style.
extension YAMLReader {
    mutating func readRemediation(_ map: [String: Any], into settings: inout RemediationSettings) {
        for (key, value) in map {
            let path = "remediation.\(key)"
            switch key {
            case "mode": if let mode = remediationMode(value, path) { settings.mode = mode }
            case "rules": readModeRules(value, path: path, into: &settings)
            case "verification_window": if let v = seconds(value, path, in: 10...86_400) { settings.verificationWindow = v }
            case "actions_per_hour": if let v = integer(value, path, in: 0...10_000) { settings.actionsPerHour = v }
            case "max_per_run": if let v = integer(value, path, in: 0...1000) { settings.maxPerRun = v }
            case "protected_containers": if let v = stringList(value, path) { settings.protectedContainers = v }
            case "protected_units": if let v = stringList(value, path) { settings.protectedUnits = v }
            case "jarvis_host": if let v = string(value, path) { settings.jarvisHost = v }
            case "prometheus_url": if let v = httpURL(value, path) { settings.prometheusURL = v }
            case "checks":
                guard let map = mapping(value, path) else { continue }
                for (alertname, expression) in map {
                    if let text = string(expression, "\(path).\(alertname)") { settings.checks[alertname] = text }
                }
            case "actions": readActions(value, path: path, into: &settings)
            case "hosts": readHostOverrides(value, path: path, into: &settings)
            default: unknown(path)
            }
        }
    }

    mutating func readLLM(_ map: [String: Any], environment: [String: String]) -> LLMSettings {
        var settings = LLMSettings()
        for (key, value) in map {
            let path = "llm.\(key)"
            switch key {
            case "provider":
                guard let text = string(value, path) else { continue }
                guard let provider = LLMSettings.Provider(rawValue: text) else {
                    problems.append(ConfigurationProblem(path, "expected anthropic or openai, found '\(text)'"))
                    continue
                }
                settings.provider = provider
            case "model": if let v = string(value, path), !v.isEmpty { settings.model = v }
            case "base_url": if let v = httpURL(value, path) { settings.baseURL = v }
            case "api_key": if let v = string(value, path), !v.isEmpty { settings.apiKey = Secret(v) }
            case "replay_file": if let v = string(value, path) { settings.replayFile = v }
            case "max_tool_calls": if let v = integer(value, path, in: 0...50) { settings.limits.maxToolCalls = v }
            case "wall_time": if let v = seconds(value, path, in: 1...600) { settings.limits.wallTimeSeconds = v }
            case "token_budget": if let v = integer(value, path, in: 1000...10_000_000) { settings.limits.tokenBudget = v }
            default: unknown(path)
            }
        }
        return settings
    }

    /// Text that starts with `http://` or `https://`.
    mutating func httpURL(_ value: Any, _ path: String) -> String? {
        guard let text = string(value, path) else { return nil }
        guard text.hasPrefix("http://") || text.hasPrefix("https://") else {
            problems.append(ConfigurationProblem(path, "expected an http:// or https:// URL"))
            return nil
        }
        return text
    }

    /// A mode: `execute`, `approve` or `dry-run`.
    mutating func remediationMode(_ value: Any, _ path: String) -> RemediationMode? {
        guard let text = string(value, path) else { return nil }
        guard let mode = RemediationMode(rawValue: text) else {
            problems.append(ConfigurationProblem(path, "expected execute, approve or dry-run, found '\(text)'"))
            return nil
        }
        return mode
    }

    /// `rules:` `[{matchers: ['env="prod"'], mode: approve}]`, matchers in Alertmanager's syntax.
    private mutating func readModeRules(_ value: Any, path: String, into settings: inout RemediationSettings) {
        guard let items = list(value, path, of: "{matchers, mode} rules") else { return }
        for (itemPath, item) in items {
            guard let map = mapping(item, itemPath) else { continue }
            var matchers: [LabelMatcher] = []
            var mode: RemediationMode?
            for (key, sub) in map {
                switch key {
                case "matchers":
                    guard let texts = stringList(sub, "\(itemPath).matchers") else { continue }
                    for (position, text) in texts.enumerated() {
                        do {
                            matchers.append(try LabelMatcher(parsing: text))
                        } catch {
                            problems.append(ConfigurationProblem("\(itemPath).matchers[\(position)]", "\(error)"))
                        }
                    }
                case "mode": mode = remediationMode(sub, "\(itemPath).mode")
                default: unknown("\(itemPath).\(key)")
                }
            }
            guard let mode else {
                if map["mode"] == nil { problems.append(ConfigurationProblem("\(itemPath).mode", "required: execute, approve or dry-run")) }
                continue
            }
            if matchers.isEmpty, map["matchers"] == nil {
                problems.append(ConfigurationProblem("\(itemPath).matchers", "required: at least one matcher such as 'env=\"prod\"'"))
                continue
            }
            settings.rules.append(RemediationModeRule(matchers: matchers, mode: mode))
        }
    }

    /// `actions:` extra catalog templates: `{name, argv: [...], parameters: {name: pattern}, risk, kind}`.
    private mutating func readActions(_ value: Any, path: String, into settings: inout RemediationSettings) {
        guard let items = list(value, path, of: "action templates") else { return }
        for (itemPath, item) in items {
            do {
                let data = try JSONSerialization.data(withJSONObject: item)
                let template = try JSONDecoder().decode(CommandTemplate.self, from: data)
                let templateProblems = template.problems
                if templateProblems.isEmpty {
                    settings.extraActions.append(template)
                } else {
                    for problem in templateProblems { problems.append(ConfigurationProblem(itemPath, "\(problem)")) }
                }
            } catch let error as DecodingError {
                problems.append(Self.problem(error, under: itemPath))
            } catch {
                problems.append(ConfigurationProblem(itemPath, "cannot be read: \(error)"))
            }
        }
    }

    /// `hosts:` per-host catalog changes: `{HOST: {disable: [action…]}}`.
    private mutating func readHostOverrides(_ value: Any, path: String, into settings: inout RemediationSettings) {
        guard let map = mapping(value, path) else { return }
        for (host, sub) in map {
            let hostPath = "\(path).\(host)"
            do {
                let data = try JSONSerialization.data(withJSONObject: sub)
                settings.hostOverrides[host] = try JSONDecoder().decode(CatalogOverrides.self, from: data)
            } catch let error as DecodingError {
                problems.append(Self.problem(error, under: hostPath))
            } catch {
                problems.append(ConfigurationProblem(hostPath, "cannot be read: \(error)"))
            }
        }
    }
}
