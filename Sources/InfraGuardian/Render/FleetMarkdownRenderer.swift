import Foundation
import Mustache

/// Renders a fleet report through `templates/fleet.md.mustache`: the summary, the findings per rule
/// and the one gate first, then a section per database with its Database Analysis and Issues Found
/// as its own report shows them (the same rows, through `MarkdownRenderer`).
public struct FleetMarkdownRenderer: Sendable {
    /// Renders each database's rows.
    public var report: MarkdownRenderer
    /// How many databases a rule's row names before "and N more".
    static let namedDatabases = 3

    public init(report: MarkdownRenderer = MarkdownRenderer()) {
        self.report = report
    }

    public func render(_ fleet: FleetReport) throws -> String {
        try MustacheTemplate(string: DefaultTemplates.fleetMarkdown).render(view(fleet))
    }

    func view(_ fleet: FleetReport) -> [String: Any] {
        [
            "meta": meta(fleet),
            "summary": fleet.summary.databases.map { row -> [String: Any] in
                ["target": "`\(cell(row.target))`", "worst": worst(row), "findings": findings(row),
                 "gate": row.gatePassed ? "✅ PASSED" : "❌ FAILED"]
            },
            "problems": fleet.problems.map { ["source": cell($0.source), "message": cell($0.message)] },
            "rules": fleet.summary.rules.map { rule -> [String: Any] in
                ["rule": cell(rule.ruleID), "severity": rule.severity.rawValue,
                 "findings": rule.notGating == 0 ? "\(rule.findings)" : "\(rule.findings) (\(rule.notGating) not gating)",
                 "databases": databases(rule.databases)]
            },
            "gate": fleet.gate.label,
            "reasons": fleet.gate.reasons.map(cell),
            "databases": fleet.databases.enumerated().map { number, database -> [String: Any] in
                var view = report.view(database.report)
                view["number"] = number + 1
                view["target"] = "`\(cell(database.target))`"
                return view
            },
        ]
    }

    private func meta(_ fleet: FleetReport) -> String {
        let count = fleet.databases.count
        var parts = ["Generated \(Format.isoTimestamp(fleet.generatedAt)) by infra-guardian \(fleet.toolVersion)",
                     "\(count) database\(count == 1 ? "" : "s") audited"]
        if !fleet.problems.isEmpty {
            parts.append("\(fleet.problems.count) not audited or not merged")
        }
        return "_" + parts.joined(separator: " · ") + "_"
    }

    private func worst(_ row: FleetSummary.DatabaseRow) -> String {
        switch row.worst {
        case .healthy: return "✅ all healthy"
        case .notConfigured: return "➖ nothing configured"
        case .degraded, .unhealthy: return "\(row.worst.icon) \(cell(row.worstComponents.joined(separator: ", ")))"
        }
    }

    /// "7: 1 CRITICAL, 2 HIGH, 4 LOW (2 not gating)".
    private func findings(_ row: FleetSummary.DatabaseRow) -> String {
        guard row.findings > 0 else { return "0" }
        let counts = Severity.allCases.compactMap { severity in row.severities[severity.rawValue].map { "\($0) \(severity.rawValue)" } }
        return "\(row.findings): \(counts.joined(separator: ", "))" + (row.notGating == 0 ? "" : " (\(row.notGating) not gating)")
    }

    private func databases(_ targets: [String]) -> String {
        let named = targets.prefix(Self.namedDatabases).map { "`\(cell($0))`" }.joined(separator: ", ")
        let more = targets.count - Self.namedDatabases
        return more > 0 ? "\(targets.count): \(named) and \(more) more" : named
    }

    private func cell(_ text: String) -> String { report.cell(text) }
}
