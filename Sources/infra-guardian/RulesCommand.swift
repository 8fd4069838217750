import ArgumentParser
import Foundation
import InfraGuardian

struct RulesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rules",
        abstract: "List every rule (built-in and rule packs) with its id, severity, category and summary.")

    @Option(name: .long, help: ArgumentHelp("Configuration file naming extra rule packs.", valueName: "file"))
    var config: String?

    @Option(name: .long, help: ArgumentHelp("text (aligned columns), or md: the README's rule tables.", valueName: "format"))
    var format: RulesFormat = .text

    enum RulesFormat: String, ExpressibleByArgument, CaseIterable { case text, md }

    func run() throws {
        if format == .md { return try emit(RuleTable.markdown(try loadRules(config: config)), to: nil) }
        let rules = try loadRules(config: config).map(\.ruleDescription)
        let width = rules.map(\.id.count).max() ?? 0
        var lines: [String] = []
        for rule in rules {
            let id = rule.id.padding(toLength: width, withPad: " ", startingAt: 0)
            let severity = rule.severity.rawValue.padding(toLength: 8, withPad: " ", startingAt: 0)
            lines.append("\(id)  \(severity)  \(rule.category.rawValue.padding(toLength: 10, withPad: " ", startingAt: 0))  \(rule.summary)")
        }
        lines.append("")
        lines.append("`infra-guardian explain ID` shows why, how to fix and examples.")
        try emit(lines.joined(separator: "\n") + "\n", to: nil)
    }
}

struct ExplainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract: "Explain one rule: why it matters, how to fix it, bad and good examples.")

    @Argument(help: "The rule id, e.g. require-down-section.")
    var id: String

    @Option(name: .long, help: ArgumentHelp("Configuration file naming extra rule packs.", valueName: "file"))
    var config: String?

    func run() throws {
        let rules = try loadRules(config: config)
        guard let rule = RuleRegistry.rule(id: id, in: rules) else {
            let known = rules.map(\.ruleDescription.id).sorted().joined(separator: ", ")
            throw UsageError(message: "no rule '\(id)'. Known rules: \(known)")
        }
        try emit(RuleExplanation.text(rule.ruleDescription), to: nil)
    }
}

/// Built-in rules plus the rule packs (built-in and configured).
func loadRules(config: String?) throws -> [any Rule] {
    try Session(SessionOptions(configFile: config, validateRuleSettings: false)).rules
}
