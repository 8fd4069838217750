import Foundation

/// `infra-guardian lint`: the migration rules over a set of files, gated like an audit.
public struct LintReport: Codable, Sendable {
    public var files: Int
    public var findings: [Finding]
    public var gate: GateVerdict
    /// What the baseline did, when one was given.
    public var baseline: BaselineOutcome? = nil
}

public enum Linter {
    /// Only rules of the migration category run: lint never needs a database.
    /// - Parameter baseline: findings it records do not gate. No database is read, so nothing is history.
    public static func lint(_ set: MigrationSet, configuration: Configuration, rules: [any Rule],
                            baseline: LoadedBaseline? = nil) -> LintReport {
        let migrationRules = rules.filter { $0.ruleDescription.category == .migration }
        var findings = Evaluator(rules: migrationRules).evaluate(AuditInput(migrations: set), configuration: configuration)
        let exemptions = Exemptions.apply(to: &findings, migrations: set, statuses: nil, policy: configuration.gate,
                                          baseline: baseline, evaluated: Set(migrationRules.map(\.ruleDescription.id)))
        let gate = QualityGate.evaluate(findings: findings, issueID: { Finding.issueID($0 + 1) }, components: [],
                                        policy: configuration.gate, exemptions: exemptions)
        return LintReport(files: set.files.count, findings: findings, gate: gate, baseline: exemptions?.baseline)
    }

    /// Markdown for a pull-request comment or a job summary.
    public static func markdown(_ report: LintReport) -> String {
        var lines = ["# Migration Lint Report", "",
                     "_\(report.files) migration file\(report.files == 1 ? "" : "s") linted_", "",
                     "| ID | Rule | Severity | Location | Finding | Fix |",
                     "|----|------|----------|----------|---------|-----|"]
        for (index, finding) in report.findings.enumerated() {
            var severity = finding.severity.rawValue
            if let note = finding.notGatingNote { severity += " (\(note))" }
            let cells = [Finding.issueID(index + 1), "`\(finding.ruleID)`", severity,
                         "`\(finding.location.description)`", finding.message, finding.fix].map(cell)
            lines.append("| " + cells.joined(separator: " | ") + " |")
        }
        if report.findings.isEmpty { lines.append("| — | — | — | — | No issues found. | — |") }
        lines += ["", "## Quality Gate (Infra): \(report.gate.label)"] + report.gate.reasons.map { "- \($0)" }
        return lines.joined(separator: "\n") + "\n"
    }

    private static func cell(_ text: String) -> String {
        cellEscapes.apply(ControlCharacters.escaped(text, keeping: ControlCharacters.isLineBreak))
    }

    private static let cellEscapes = ASCIIReplacements(["\n": " ", "|": "\\|"])
}
