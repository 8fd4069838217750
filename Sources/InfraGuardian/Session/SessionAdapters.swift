/// `infra-guardian adapters`: the Adapter Coverage table and the adapter findings alone.
public struct AdapterReport: Codable, Sendable {
    public var graph: AdapterGraph
    public var coverage: [AdapterCoverageRow]
    public var findings: [Finding]
    public var gate: GateVerdict
}

extension Session {
    /// The adapters of `--source` (else `paths.source`, else the working directory), judged by the
    /// adapter rules and gated like an audit.
    public func adapters() -> AdapterReport {
        let given = options.sourceRoot ?? (configuration.paths.source == nil ? "." : nil)
        let request = AuditRequest(sourceRoot: given, workingDirectory: options.directory)
        let (root, graph) = Auditor.collectAdapters(request, configuration: configuration)
        let tree = graph ?? AdapterGraph(root: given ?? ".")
        let rules = evaluator.rules.filter { $0.ruleDescription.category == .adapter }
        let findings = Evaluator(rules: rules).evaluate(AuditInput(sourceRoot: root, adapters: tree), configuration: configuration)
        let ids = findings.indices.map { Finding.issueID($0 + 1) }
        let gate = QualityGate.evaluate(findings: findings, issueID: { Finding.issueID($0 + 1) }, components: [],
                                        policy: configuration.gate)
        return AdapterReport(graph: tree, coverage: ReportBuilder.adapterCoverage(tree, findings: findings, ids: ids),
                             findings: findings, gate: gate)
    }

    /// Markdown: the table, the findings, the gate.
    public static func markdown(_ report: AdapterReport) -> String {
        let graph = report.graph
        var lines = ["# Adapter Coverage", "",
                     "_\(graph.adapters.count) adapter\(graph.adapters.count == 1 ? "" : "s"), \(graph.ports.count) port\(graph.ports.count == 1 ? "" : "s"), "
                        + "\(graph.testFiles) test file\(graph.testFiles == 1 ? "" : "s") under \(Linter.cell(graph.root))_", "",
                     "| Domain Entity | Adapter | Port | Tests | Status |", "|---------------|---------|------|-------|--------|"]
        for row in report.coverage {
            let cells = row.cells
            lines.append("| \(Linter.cell(row.entity)) | \(Linter.cell(row.adapter)) | \(Linter.cell(cells.port)) | \(cells.tests) | \(cells.status) |")
        }
        if report.coverage.isEmpty { lines.append("| — | — | — | — | ➖ \(Linter.cell(ReportBuilder.adapterNote(graph))) |") }
        if !graph.notes.isEmpty { lines += [""] + graph.notes.map { "> \(Linter.cell($0))" } }
        lines += issuesAndGate(report.findings, report.gate)
        return lines.joined(separator: "\n") + "\n"
    }

    /// The Issues Found table and the gate, as the commands that report one part alone print them.
    static func issuesAndGate(_ findings: [Finding], _ gate: GateVerdict) -> [String] {
        var lines = ["", "## Issues Found", "", "| ID | Rule | Severity | Location | Finding | Fix |", "|----|------|----------|----------|---------|-----|"]
        for (index, finding) in findings.enumerated() {
            lines.append(Linter.findingRow(ReportIssue(id: Finding.issueID(index + 1), finding: finding)))
        }
        if findings.isEmpty { lines.append("| — | — | — | — | No issues found. | — |") }
        return lines + ["", "## Quality Gate (Infra): \(gate.label)"] + gate.reasons.map { "- \($0)" }
    }
}
