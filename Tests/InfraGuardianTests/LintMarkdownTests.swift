import Testing
@testable import InfraGuardian

/// `lint --format md` stays readable at any scale: a rule with many findings is one row.
@Suite struct LintMarkdownTests {
    private func report(tables: Int) -> LintReport {
        let creates = (1...tables).map { "CREATE TABLE t\($0) (id bigint);" }.joined(separator: "\n")
        let set = MigrationSet(files: [Lint.dbmate("-- migrate:up\n\(creates)\nCREATE INDEX i ON t1 (id);\n-- migrate:down\nSELECT 1;\n")])
        var configuration = Configuration()
        configuration.gate.failOn = [.medium]
        return Linter.lint(set, configuration: configuration, rules: RuleRegistry.builtIn)
    }

    @Test func aRuleWithManyFindingsIsOneSummaryRowAndTheDetailsHaveThemAll() {
        let report = report(tables: 30)
        let idempotent = report.findings.filter { $0.ruleID == "require-idempotent-ddl" }
        #expect(idempotent.count == 31)
        let markdown = Linter.markdown(report, maxRowsPerRule: 10)
        let rows = markdown.split(separator: "\n").filter { $0.hasPrefix("| I0") }
        #expect(rows.count == 1 && rows[0].contains("`require-idempotent-ddl`: 31 findings (worst: MEDIUM)"), "\(rows)")
        #expect(!markdown.contains("## Details"))
        let detailed = Linter.markdown(report, maxRowsPerRule: 10, details: true)
        #expect(detailed.contains("## Details"))
        #expect(detailed.split(separator: "\n").filter { $0.hasPrefix("| I0") && $0.contains("CREATE TABLE IF NOT EXISTS t") }.count == 30)
        // No limit: every finding has its row.
        #expect(Linter.markdown(report, maxRowsPerRule: 0).split(separator: "\n").filter { $0.hasPrefix("| I0") }.count == 31)
        // The gate's reason names ten IDs, then how many more.
        let reason = report.gate.reasons.first { $0.hasPrefix("31 MEDIUM findings") }
        #expect(reason == "31 MEDIUM findings (I001, I002, I003, I004, I005, I006, I007, I008, I009, I010 and 21 more)")
    }

    @Test func fewFindingsKeepTheirOwnRows() {
        let report = report(tables: 3)
        let markdown = Linter.markdown(report, maxRowsPerRule: 10)
        #expect(markdown.split(separator: "\n").filter { $0.hasPrefix("| I00") }.count == 4)
        #expect(report.gate.reasons.contains("4 MEDIUM findings (I001, I002, I003, I004)"))
    }
}
