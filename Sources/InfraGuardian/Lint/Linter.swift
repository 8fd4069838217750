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

    /// Markdown for a pull-request comment or a job summary: a rule with more than `maxRowsPerRule`
    /// findings (0: no limit) is one summary row; `details` appends every finding of those rules.
    public static func markdown(_ report: LintReport, maxRowsPerRule: Int = ReportSettings.defaultMaxRowsPerRule,
                                details: Bool = false) -> String {
        let header = ["| ID | Rule | Severity | Location | Finding | Fix |", "|----|------|----------|----------|---------|-----|"]
        var lines = ["# Migration Lint Report", "",
                     "_\(report.files) migration file\(report.files == 1 ? "" : "s") linted_", ""] + header
        let issues = report.findings.enumerated().map { ReportIssue(id: Finding.issueID($0.offset + 1), finding: $0.element) }
        var summarised: [ReportIssue] = []
        let rows = IssueRows.rows(issues, shown: { _ in true }, maxRowsPerRule: maxRowsPerRule)
        for row in rows {
            switch row {
            case .finding(let issue):
                lines.append(findingRow(issue))
            case .summary(let summary):
                let cells = [summary.idText, "`\(summary.ruleID)`", summary.severityText, "—"].map(cell)
                    + [cell(summary.text(details: details)), cell("`infra-guardian explain \(summary.ruleID)`; each finding's own fix in the details")]
                lines.append("| " + cells.joined(separator: " | ") + " |")
                summarised += issues.filter { $0.finding.ruleID == summary.ruleID }
            }
        }
        if report.findings.isEmpty { lines.append("| — | — | — | — | No issues found. | — |") }
        lines += ["", "## Quality Gate (Infra): \(report.gate.label)"] + report.gate.reasons.map { "- \($0)" }
        if details, !summarised.isEmpty {
            lines += ["", "## Details", ""] + header + summarised.map(findingRow)
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// `| I001 | `rule` | SEVERITY | `file:line` | message | fix |`.
    static func findingRow(_ issue: ReportIssue) -> String {
        let finding = issue.finding
        var severity = finding.severity.rawValue
        if let note = finding.notGatingNote { severity += " (\(note))" }
        let cells = [issue.id, "`\(finding.ruleID)`", severity, "`\(finding.location.description)`", finding.message, finding.fix].map(cell)
        return "| " + cells.joined(separator: " | ") + " |"
    }

    static func cell(_ text: String) -> String {
        cellEscapes.apply(ControlCharacters.escaped(text, keeping: ControlCharacters.isLineBreak))
    }

    private static let cellEscapes = ASCIIReplacements(["\n": " ", "|": "\\|"])
}
