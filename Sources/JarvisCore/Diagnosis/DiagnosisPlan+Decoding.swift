extension DiagnosisPlan {
    /// The JSON Schema of `propose_plan`'s input.
    ///
    /// - Parameter actionNames: Catalog names for the `action` enum; empty leaves it open.
    static func inputSchema(actionNames: [String]) -> JSONValue {
        var action: [String: JSONValue] = ["type": "string", "description": "The catalog action's name."]
        if !actionNames.isEmpty { action["enum"] = .array(actionNames.sorted().map(JSONValue.string)) }
        return [
            "type": "object",
            "properties": [
                "actions": [
                    "type": "array",
                    "description": "Actions to run, in order; empty when nothing should be done.",
                    "items": [
                        "type": "object",
                        "properties": [
                            "action": .object(action),
                            "parameters": [
                                "type": "object", "description": "The action's parameter values.",
                                "additionalProperties": ["type": "string"],
                            ],
                            "host": ["type": "string", "description": "Inventory host; omit for the alert's host."],
                            "rationale": ["type": "string", "description": "Why, in one sentence."],
                        ],
                        "required": ["action", "parameters", "rationale"],
                    ],
                ],
                "summary": ["type": "string", "description": "The diagnosis in a few sentences."],
                "risk": ["type": "string", "enum": ["low", "medium", "high"]],
            ],
            "required": ["actions", "summary", "risk"],
        ]
    }

    /// Decodes `propose_plan`'s input: `{"actions":[{"action","parameters","host"?,"rationale"?}],
    /// "summary","risk"}`. Parameter values must be strings.
    ///
    /// - Parameters:
    ///   - input: The tool call's input.
    ///   - maxActions: More actions than this is malformed.
    /// - Throws: `LLMError.malformed` naming the offending field.
    init(input: [String: JSONValue], maxActions: Int) throws(LLMError) {
        let root = JSONPath(.object(input), path: "propose_plan")
        var actions: [ActionProposal] = []
        let items = try root["actions"].array()
        guard items.count <= maxActions else { throw root.fail("\(items.count) actions, at most \(maxActions) allowed") }
        for item in items {
            let name = try item["action"].string()
            guard !name.isEmpty else { throw item.fail("empty action name") }
            var parameters: [String: String] = [:]
            for (key, value) in try item.optional("parameters")?.object() ?? [:] {
                guard case .string(let text) = value else {
                    throw item.fail("parameter \(UntrustedText.quoted(String(key.prefix(64)))) is a \(value.kind), not a string")
                }
                parameters[key] = text
            }
            actions.append(
                ActionProposal(
                    action: name, parameters: parameters, host: try item.optional("host")?.string(),
                    rationale: try item.optional("rationale")?.string()))
        }
        let riskText = try root["risk"].string()
        guard let risk = PlanRisk(rawValue: riskText) else {
            throw root.fail("risk \(UntrustedText.quoted(String(riskText.prefix(32)))) is not low, medium or high")
        }
        self.init(actions: actions, summary: try root["summary"].string(), risk: risk)
    }
}
