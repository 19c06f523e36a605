/// The export/import format of `jarvis patterns export|import`: one JSON object,
///
///     {"format": "jarvis-patterns", "version": 1, "patterns": [ … ]}
///
/// where each pattern is
///
///     {"key": "pattern/…", "alertname": "ContainerDown", "source": "learned", "enabled": true,
///      "summary": "…", "symptom": ["alertname=ContainerDown", "container=nginx", …],
///      "required_labels": [], "risk": "low",
///      "actions": [{"action": "docker.restart", "parameters": {"container": "{{labels.container}}"}}],
///      "successes": 12, "failures": 0, "last_used_at": "2026-12-01T10:00:00Z" | null,
///      "created_at": "…", "id": 15, "confidence": 0.93, "tier": 1}
///
/// `id`, `confidence` and `tier` are written for people and ignored on import (ids are local,
/// confidence and tier follow from the counts). Keys are sorted, so an export is stable.
public enum PatternDocument {
    public static let format = "jarvis-patterns"
    public static let version = 1
    /// Import refuses larger documents [4 MiB].
    public static let maximumBytes = 4 * 1024 * 1024
    /// And more patterns than this [20,000].
    public static let maximumPatterns = 20_000

    /// One problem of an imported document, at a JSON path such as `$.patterns[2].actions[0].action`.
    public struct Problem: Error, Sendable, Equatable, CustomStringConvertible {
        public var path: String
        public var message: String
        public var description: String { "\(path): \(message)" }
    }

    /// Every problem of a refused document.
    public struct Problems: Error, Sendable, Equatable {
        public var problems: [Problem]
    }

    /// One pattern as JSON.
    public static func json(_ pattern: LearnedPattern, now: Timestamp) -> JSONValue {
        let confidence = (pattern.confidence(now: now) * 1000).rounded() / 1000
        return .object([
            "id": .number(Double(pattern.id)), "key": .string(pattern.key), "alertname": .string(pattern.alertname),
            "source": .string(pattern.source.rawValue), "enabled": .bool(pattern.enabled), "summary": .string(pattern.summary),
            "symptom": .array(pattern.symptom.parts.map(JSONValue.string)), "required_labels": .array(pattern.requiredLabels.map(JSONValue.string)),
            "risk": .string(pattern.risk), "actions": actionsJSON(pattern.actions), "successes": .number(Double(pattern.successes)),
            "failures": .number(Double(pattern.failures)), "last_used_at": pattern.lastUsedAt.map { .string($0.rfc3339) } ?? .null,
            "created_at": .string(pattern.createdAt.rfc3339), "confidence": .number(confidence),
            "tier": .number(Double(pattern.tier(now: now).rawValue)),
        ])
    }

    /// The whole document.
    public static func export(_ patterns: [LearnedPattern], now: Timestamp) -> String {
        JSONValue.object([
            "format": .string(format), "version": .number(Double(version)), "patterns": .array(patterns.map { json($0, now: now) }),
        ]).jsonText
    }

    /// Actions as stored in `remediation_patterns.commands`: `[{"action", "parameters", "host"?}]`.
    public static func actionsJSON(_ actions: [ActionProposal]) -> JSONValue {
        .array(
            actions.map { action in
                var object: [String: JSONValue] = [
                    "action": .string(action.action), "parameters": .object(action.parameters.mapValues(JSONValue.string)),
                ]
                if let host = action.host { object["host"] = .string(host) }
                return .object(object)
            })
    }

    /// Actions read back from `remediation_patterns.commands` (or a resolved plan's
    /// `[{"action", "parameters", "argv"}]`); nil when the text is not such an array.
    public static func actions(fromJSON text: String) -> [ActionProposal]? {
        guard let value = try? JSONValue(parsing: text), let elements = value.arrayValue else { return nil }
        var actions: [ActionProposal] = []
        for element in elements {
            guard let name = element["action"]?.stringValue else { return nil }
            var parameters: [String: String] = [:]
            for (key, value) in element["parameters"]?.objectValue ?? [:] {
                guard let string = value.stringValue else { return nil }
                parameters[key] = string
            }
            actions.append(ActionProposal(action: name, parameters: parameters, host: element["host"]?.stringValue))
        }
        return actions
    }

    /// Reads and checks a document: every problem found (with its JSON path), or the
    /// patterns, never a part of them. Statistics are read as given; the caller decides
    /// what to do with patterns that exist already.
    ///
    /// - Parameters:
    ///   - bytes: The file's content.
    ///   - policy: The command policy: every action must be an enabled catalog action whose
    ///     parameters are bindings to the pattern's labels or literal values the catalog accepts.
    ///   - now: For `created_at` when absent.
    public static func parse(_ bytes: [UInt8], policy: CommandPolicy, now: Timestamp) -> Result<[LearnedPattern], Problems> {
        guard bytes.count <= maximumBytes else {
            return .failure(
                Problems(problems: [Problem(path: "$", message: "the file has \(bytes.count) bytes; at most \(maximumBytes) are accepted")]))
        }
        let root: JSONValue
        do {
            root = try JSONValue(parsing: bytes)
        } catch {
            return .failure(Problems(problems: [Problem(path: "$", message: "not valid JSON")]))
        }
        var problems: [Problem] = []
        func problem(_ path: String, _ message: String) { problems.append(Problem(path: path, message: message)) }
        guard root.objectValue != nil else {
            return .failure(Problems(problems: [Problem(path: "$", message: "expected an object, found \(root.kind)")]))
        }
        if root["format"]?.stringValue != format { problem("$.format", "must be \"\(format)\"") }
        if root["version"]?.intValue != version { problem("$.version", "must be \(version)") }
        guard let list = root["patterns"]?.arrayValue else {
            problem("$.patterns", "expected an array of patterns")
            return .failure(Problems(problems: problems))
        }
        guard list.count <= maximumPatterns else {
            return .failure(
                Problems(
                    problems: problems + [Problem(path: "$.patterns", message: "\(list.count) patterns; at most \(maximumPatterns) are accepted")]))
        }
        var patterns: [LearnedPattern] = []
        var keys: Set<String> = []
        for (index, element) in list.enumerated() {
            let path = "$.patterns[\(index)]"
            let before = problems.count
            guard element.objectValue != nil else {
                problem(path, "expected an object, found \(element.kind)")
                continue
            }
            func string(_ name: String) -> String? {
                guard let value = element[name]?.stringValue, !value.isEmpty else {
                    problem("\(path).\(name)", "expected a non-empty string")
                    return nil
                }
                return value
            }
            func strings(_ name: String) -> [String]? {
                guard let values = element[name]?.arrayValue else {
                    problem("\(path).\(name)", "expected an array of strings")
                    return nil
                }
                var out: [String] = []
                for (i, value) in values.enumerated() {
                    guard let text = value.stringValue else {
                        problem("\(path).\(name)[\(i)]", "expected a string, found \(value.kind)")
                        continue
                    }
                    out.append(text)
                }
                return out
            }
            func count(_ name: String) -> Int? {
                guard let value = element[name]?.intValue, value >= 0, value <= 1_000_000 else {
                    problem("\(path).\(name)", "expected a whole number from 0 to 1000000")
                    return nil
                }
                return value
            }
            let alertname = string("alertname")
            let source = string("source").flatMap { value -> LearnedPattern.Source? in
                guard let source = LearnedPattern.Source(rawValue: value) else {
                    problem("\(path).source", "must be \"seed\" or \"learned\"")
                    return nil
                }
                return source
            }
            let symptom = strings("symptom") ?? []
            let required = element["required_labels"] == nil ? [] : (strings("required_labels") ?? [])
            let successes = count("successes")
            let failures = count("failures")
            let enabled: Bool
            if case .bool(let flag) = element["enabled"] ?? .bool(true) {
                enabled = flag
            } else {
                problem("\(path).enabled", "expected true or false")
                enabled = false
            }
            let risk = element["risk"]?.stringValue ?? "low"
            if !["low", "medium", "high"].contains(risk) { problem("\(path).risk", "must be low, medium or high") }
            let summary = element["summary"]?.stringValue ?? ""
            if summary.utf8.count > 1024 { problem("\(path).summary", "longer than 1024 bytes") }
            var labelNames: Set<String> = Set(required)
            if let alertname {
                if symptom.first != "alertname=" + alertname { problem("\(path).symptom[0]", "must be \"alertname=\(alertname)\"") }
            }
            for (i, part) in symptom.enumerated() {
                let name = String(SymptomFingerprint.name(of: part))
                guard part.contains("="), name == "alertname" || SymptomFingerprint.labels.contains(name) else {
                    problem(
                        "\(path).symptom[\(i)]",
                        "expected \"label=value\" with one of alertname, \(SymptomFingerprint.labels.joined(separator: ", "))")
                    continue
                }
                labelNames.insert(name)
            }
            // Actions
            var actions: [ActionProposal] = []
            if let list = element["actions"]?.arrayValue, !list.isEmpty, list.count <= 16 {
                for (j, value) in list.enumerated() {
                    let actionPath = "\(path).actions[\(j)]"
                    guard let name = value["action"]?.stringValue else {
                        problem("\(actionPath).action", "expected the name of a catalog action")
                        continue
                    }
                    guard let template = policy.catalog.template(named: name), !policy.catalog.isDisabled(name) else {
                        problem("\(actionPath).action", "\(CommandPolicy.describe(name)) is not an enabled catalog action")
                        continue
                    }
                    var parameters: [String: String] = [:]
                    var concrete = true
                    for (key, raw) in value["parameters"]?.objectValue ?? [:] {
                        let parameterPath = "\(actionPath).parameters.\(key)"
                        guard let text = raw.stringValue else {
                            problem(parameterPath, "expected a string, found \(raw.kind)")
                            continue
                        }
                        guard let pattern = template.parameters[key] else {
                            problem(parameterPath, "action \(name) has no parameter \(CommandPolicy.describe(key))")
                            continue
                        }
                        parameters[key] = text
                        if text.contains("{{") || text.contains("}}") {
                            concrete = false
                            let names = SeedPattern.placeholders(in: text)
                            guard names.count == 1, text == "{{labels.\(names[0])}}" else {
                                problem(parameterPath, "a binding must be the whole value, {{labels.NAME}}")
                                continue
                            }
                            if !labelNames.contains(names[0]) {
                                problem(
                                    parameterPath,
                                    "binds label \(CommandPolicy.describe(names[0])), which is neither in the symptom nor in required_labels")
                            }
                        } else if let mismatch = pattern.mismatch(text) {
                            problem(parameterPath, mismatch)
                        }
                    }
                    for missing in template.placeholderNames where parameters[missing] == nil {
                        problem("\(actionPath).parameters", "action \(name) needs parameter \(missing)")
                    }
                    if value["host"] != nil { problem("\(actionPath).host", "imported patterns run on the alert's routed host; remove host") }
                    let proposal = ActionProposal(action: name, parameters: parameters)
                    if concrete, problems.count == before,
                        case .rejected(let rejection) = policy.evaluate(
                            proposal, host: "import-check",
                            context: PolicyContext(
                                protectedContainers: PolicyContext.defaultProtectedContainers, protectedUnits: [], targetIsJarvisHost: false))
                    {
                        problem(actionPath, "the command policy rejects it: \(rejection)")
                    }
                    actions.append(proposal)
                }
            } else {
                problem("\(path).actions", "expected an array of 1 to 16 actions")
            }
            let lastUsed: Timestamp?
            switch element["last_used_at"] {
            case nil, .null?: lastUsed = nil
            case .string(let text)?:
                lastUsed = Timestamp(rfc3339: text)
                if lastUsed == nil { problem("\(path).last_used_at", "expected an RFC 3339 time or null") }
            default:
                problem("\(path).last_used_at", "expected an RFC 3339 time or null")
                lastUsed = nil
            }
            let created = element["created_at"]?.stringValue.flatMap { Timestamp(rfc3339: $0) } ?? now
            guard problems.count == before, let alertname, let source, let successes, let failures else { continue }
            let fingerprint = SymptomFingerprint(alertname: alertname, parts: symptom)
            let key = source == .seed ? "seed/" + alertname : LearnedPattern.key(symptom: fingerprint, actions: actions)
            if let given = element["key"]?.stringValue, given != key {
                problem("\(path).key", "does not match the pattern's symptom and actions (expected \(key))")
                continue
            }
            guard keys.insert(key).inserted else {
                problem(path, "the same pattern appears twice")
                continue
            }
            patterns.append(
                LearnedPattern(
                    key: key, symptom: fingerprint, actions: actions, requiredLabels: required, summary: summary, risk: risk, successes: successes,
                    failures: failures, enabled: enabled, source: source, lastUsedAt: lastUsed, createdAt: created))
        }
        return problems.isEmpty ? .success(patterns) : .failure(Problems(problems: problems))
    }
}
