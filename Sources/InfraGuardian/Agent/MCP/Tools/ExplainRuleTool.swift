import MCP

/// `explain_rule`: what a rule finds, why it matters, how to fix it, bad and good examples.
enum ExplainRuleTool {
    static let tool = MCPTool(
        name: "explain_rule", title: "Explain a rule",
        description: """
            Explains one rule by its id (as findings name it, e.g. require-concurrent-index): severity, category, \
            summary, why it matters, the generic fix and bad/good examples. Rule packs named by the project's \
            configuration count too.
            """,
        arguments: [MCPArgument(name: "rule", kind: .string, description: "The rule id, e.g. require-down-section.", required: true),
                    .directory, .config],
        annotations: MCPTool.readOnly(openWorld: false)) { call in
            var options = try call.options()
            options.validateRuleSettings = false
            let rules = try Session(options).rules
            let id = call.arguments.string("rule") ?? ""
            guard let rule = RuleRegistry.rule(id: id, in: rules)?.ruleDescription else {
                throw MCPToolError("no rule '\(SecretMasking.quotable(id, limit: 80))'. Known rules: "
                                   + rules.map(\.ruleDescription.id).sorted().joined(separator: ", "))
            }
            var structured: [String: Value] = [
                "id": .string(rule.id), "severity": .string(rule.severity.rawValue), "category": .string(rule.category.rawValue),
                "summary": .string(rule.summary), "why": .string(rule.why), "fix": .string(rule.fix),
                "badExamples": .array(rule.badExamples.map { .string($0.text) }),
                "goodExamples": .array(rule.goodExamples.map { .string($0.text) }),
                "requiresApproval": .bool(rule.requiresApproval),
            ]
            if let finds = rule.finds { structured["finds"] = .string(finds) }
            return MCPToolResult(text: RuleExplanation.text(rule), structured: .object(structured))
        }
}
