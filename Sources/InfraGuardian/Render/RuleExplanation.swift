/// The text of `infra-guardian explain ID`.
public enum RuleExplanation {
    public static func text(_ rule: RuleDescription) -> String {
        var lines = ["\(rule.id)  (\(rule.severity.rawValue), \(rule.category.rawValue))", "", rule.summary, "",
                     "Why:", indent(rule.why), "", "Fix:", indent(rule.fix)]
        if !rule.badExamples.isEmpty {
            lines += ["", "Bad:"] + rule.badExamples.map { indent($0.text) }
        }
        if !rule.goodExamples.isEmpty {
            lines += ["", "Good:"] + rule.goodExamples.map { indent($0.text) }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private static func indent(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { "    \($0)" }.joined(separator: "\n")
    }
}
