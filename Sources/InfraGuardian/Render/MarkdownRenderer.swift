import Foundation
import Mustache

/// Renders the report as Markdown through `templates/report.md.mustache` (a copy is compiled in, see
/// `DefaultTemplates`, so the binary works from any directory; `--template` overrides it).
public struct MarkdownRenderer: Sendable {
    public var template: String
    public var ruleCount: Int
    /// A rule with more findings than this shows one summary row in Issues Found (`report.max_rows_per_rule`); 0: no limit.
    public var maxRowsPerRule: Int
    /// Appends `## Details` with every finding's row (`audit --details`).
    public var details: Bool

    public init(template: String = DefaultTemplates.reportMarkdown, ruleCount: Int = RuleRegistry.builtIn.count,
                maxRowsPerRule: Int = ReportSettings.defaultMaxRowsPerRule, details: Bool = false) {
        self.template = template
        self.ruleCount = ruleCount
        self.maxRowsPerRule = maxRowsPerRule
        self.details = details
    }

    public func render(_ report: Report) throws -> String {
        let compiled = try MustacheTemplate(string: template)
        return compiled.render(view(report))
    }

    func view(_ report: Report) -> [String: Any] {
        var view = baseView(report)
        // Absent keys, not nil values: Mustache would print a boxed nil.
        if let history = history(report.exemptions) { view["history"] = history }
        if let baseline = report.exemptions?.baseline { view["baseline"] = baselineLine(baseline) }
        if details { view["details"] = detailsView(report) }
        return view
    }

    private func baseView(_ report: Report) -> [String: Any] {
        [
            "meta": meta(report),
            "components": report.components.map { component -> [String: Any] in
                ["name": cell(component.component), "icon": component.state.icon, "details": cell(component.details)]
            },
            "adapters": report.adapterCoverage.map { row -> [String: Any] in
                let cells = row.cells
                return ["entity": cell(row.entity), "adapter": cell(row.adapter), "port": cell(cells.port),
                        "tests": cells.tests, "status": cells.status]
            },
            "adapterNote": cell(report.adapterNote ?? ""),
            "migrations": report.migrations.map { entry -> [String: Any] in
                ["name": cell(entry.name), "status": Self.migrationStatus(entry.state),
                 "appliedAt": Self.appliedAt(entry)]
            },
            "migrationNote": cell(report.migrationNote ?? ""),
            "performance": report.performance.map(performanceRow),
            "performanceNote": cell(report.performanceNote ?? ""),
            // History findings are counted in their own group below; their IDs stay theirs (JSON, SARIF).
            "issues": IssueRows.rows(report.issues, shown: { $0.finding.exemption != .history },
                                     maxRowsPerRule: maxRowsPerRule).map { row -> [String: Any] in
                switch row {
                case .finding(let issue): return issueRow(issue)
                case .summary(let summary):
                    return ["id": summary.idText, "category": cell(summary.category.title),
                            "severity": cell(summary.severityText), "fix": cell(summary.text(details: details))]
                }
            },
            "ruleCount": ruleCount,
            "noIssues": noIssues(report),
            "gate": report.gate.label,
            "reasons": report.gate.reasons,
        ]
    }

    private func issueRow(_ issue: ReportIssue) -> [String: Any] {
        let finding = issue.finding
        var severity = finding.severity.rawValue
        if let note = finding.notGatingNote { severity += " (\(note))" }
        return ["id": issue.id, "category": cell(finding.category.title), "severity": cell(severity),
                "fix": cell(fixText(finding))]
    }

    /// The `--details` appendix: every finding's row, history included, in ID order.
    private func detailsView(_ report: Report) -> [String: Any] {
        let count = report.issues.count
        let note = count == 0 ? "No findings." : "All \(count) finding\(count == 1 ? "" : "s") of this audit in ID order, "
            + "including those that Issues Found summarises per rule and any history findings."
        return ["note": note, "rows": report.issues.map(issueRow)]
    }

    private func noIssues(_ report: Report) -> String {
        guard let history = report.exemptions?.historyCount, history > 0 else { return "No issues found by \(ruleCount) rules." }
        return "No issues outside history (\(history) below) found by \(ruleCount) rules."
    }

    /// The history group: counts per rule, the findings themselves in JSON, SARIF and JUnit.
    private func history(_ exemptions: ExemptionSummary?) -> [String: Any]? {
        guard let exemptions, !exemptions.history.isEmpty else { return nil }
        let count = exemptions.historyCount
        let note = "\(count) finding\(count == 1 ? "" : "s") in migrations the audited database has already applied "
            + "(and unchanged since `--base` when given). An applied migration must not be edited, so these are history, "
            + "not work: they do not fail the gate (`gate.history: report`). Each one is in the JSON, SARIF and JUnit outputs."
        return ["note": note, "rules": exemptions.history.map { row -> [String: Any] in
            ["rule": cell(row.rule), "severity": row.severity.rawValue, "findings": row.findings, "files": row.files]
        }]
    }

    private func baselineLine(_ outcome: BaselineOutcome) -> String {
        cell("Baseline \(outcome.path): \(outcome.matched) finding\(outcome.matched == 1 ? "" : "s") recorded there do not gate; "
             + "\(outcome.fixed) of its \(outcome.recorded) entr\(outcome.recorded == 1 ? "y" : "ies") fixed since it was recorded.")
    }

    private func performanceRow(_ row: PerformanceRow) -> [String: Any] {
        guard let latency = row.latency else {
            return ["query": cell("\(row.query) — \(row.note ?? "not measured")"), "p50": "—", "p95": "—", "p99": "—"]
        }
        let note = row.note.map { "; \($0)" } ?? ""
        return ["query": cell("\(row.query) (n=\(latency.samples)\(note))"), "p50": Format.millis(latency.p50Millis),
                "p95": percentile(latency.p95Millis, latency.samples), "p99": percentile(latency.p99Millis, latency.samples)]
    }

    /// A percentile withheld for want of samples shows the count it had.
    private func percentile(_ millis: Double?, _ samples: Int) -> String {
        millis.map(Format.millis) ?? "— (\(samples) sample\(samples == 1 ? "" : "s"))"
    }

    private func meta(_ report: Report) -> String {
        var parts = ["Generated \(Format.isoTimestamp(report.generatedAt)) by infra-guardian \(report.toolVersion)"]
        parts.append("PostgreSQL: \(report.targets.postgres.map { "`\($0)`" } ?? "not configured")")
        parts.append("Redis: \(report.targets.redis.map { "`\($0)`" } ?? "not configured")")
        if !report.targets.migrationFolders.isEmpty {
            parts.append("Migrations: \(report.targets.migrationFolders.map { "`\($0)`" }.joined(separator: ", "))")
        }
        return "_" + parts.joined(separator: " · ") + "_"
    }

    private func fixText(_ finding: Finding) -> String {
        let location = finding.location.description
        let place = location.isEmpty ? "" : " `\(location)`"
        let message = ControlCharacters.escaped(finding.message, keeping: ControlCharacters.isLineBreak)
        return "\(message) **Fix:** \(finding.fix) (\(finding.ruleID)\(place))"
    }

    /// The Status cell of a migration (the report and `migration_status`).
    static func migrationStatus(_ state: MigrationStatusEntry.State) -> String {
        switch state {
        case .applied: "✅ applied"
        case .pending: "⏳ pending"
        case .appliedMissingFile: "❌ applied, file missing"
        case .unknown: "➖ not compared (no database)"
        case .unreadable: "❌ unreadable"
        }
    }

    static func appliedAt(_ entry: MigrationStatusEntry) -> String {
        if let date = entry.appliedAt { return Format.isoDate(date) }
        switch entry.state {
        case .applied, .appliedMissingFile: return "— (not recorded by \(entry.kind.rawValue))"
        default: return "—"
        }
    }

    /// Table cells must not break the table: one line, pipes escaped.
    func cell(_ text: String) -> String {
        Self.cellEscapes.apply(ControlCharacters.escaped(text, keeping: ControlCharacters.isLineBreak))
    }

    private static let cellEscapes = ASCIIReplacements(["\r": " ", "\n": " ", "|": "\\|"])
}
