import Foundation
import InfraGuardianTestSupport
import Testing
@testable import InfraGuardian

/// Issues Found stays readable at any scale: a rule with more findings than `report.max_rows_per_rule`
/// is one summary row, its findings keep their IDs and are all in the `--details` appendix.
@Suite struct ReportScaleTests {
    static func finding(_ rule: String, _ category: InfraGuardian.Category, _ severity: Severity, object: String) -> Finding {
        Finding(ruleID: rule, category: category, severity: severity, message: "\(rule) on \(object).",
                fix: "Fix \(object).", location: .object(object))
    }

    /// 3 `fk-without-index` (MEDIUM, I001–I003), then 25 `table-without-comment` (LOW, I004–I028).
    static func report(_ findings: [Finding]? = nil) -> Report {
        var report = ReportBuilder().build(AuditInput(), configuration: Configuration())
        let fks = (1...3).map { finding("fk-without-index", .index, .medium, object: "public.child\($0).parent_id_fkey") }
        let tables = (1...25).map { finding("table-without-comment", .schema, .low, object: "public.t\(twoDigits($0))") }
        let all = findings ?? fks + tables
        report.issues = all.indices.map { ReportIssue(id: Finding.issueID($0 + 1), finding: all[$0]) }
        return report
    }

    static func twoDigits(_ number: Int) -> String { number < 10 ? "0\(number)" : "\(number)" }

    /// The ID rows of one section (up to the next heading of level 2 or 3).
    static func rows(_ markdown: String, in section: String) -> [String] {
        guard let start = markdown.range(of: "\n\(section)\n") else { return [] }
        var rows: [String] = []
        for line in markdown[start.upperBound...].split(separator: "\n") {
            if line.hasPrefix("## ") || line.hasPrefix("### ") { break }
            if line.hasPrefix("| I"), !line.hasPrefix("| ID |") { rows.append(String(line)) }
        }
        return rows
    }

    static func render(_ report: Report, max: Int = 10, details: Bool = false) throws -> String {
        try MarkdownRenderer(maxRowsPerRule: max, details: details).render(report)
    }

    static let summary = "| I004–I028 | Schema | LOW | `table-without-comment`: 25 findings (worst: LOW) on `public.t01`, "
        + "`public.t02`, `public.t03` and 22 more objects — every finding is in the JSON/SARIF/JUnit outputs and in the "
        + "`--details` appendix |"

    @Test func aRuleAboveTheLimitIsOneSummaryRowAndTheOthersAreUntouched() throws {
        let report = Self.report()
        let markdown = try Self.render(report)
        let unlimited = try Self.render(report, max: 0)
        let issues = Self.rows(markdown, in: "## Issues Found")
        #expect(issues.count == 4)
        // The three rows of the rule under the limit are exactly what they are without a limit.
        #expect(Array(issues.prefix(3)) == Array(Self.rows(unlimited, in: "## Issues Found").prefix(3)))
        #expect(issues[0].hasPrefix("| I001 | Missing index | MEDIUM | fk-without-index on public.child1.parent_id_fkey."))
        #expect(issues[3] == Self.summary)
        #expect(!markdown.contains("| I004 |") && !markdown.contains("public.t04"))
        #expect(!markdown.contains("## Details"))
        // The model keeps every finding with its ID: JSON, SARIF and JUnit render from it.
        #expect(report.issues.map(\.id) == (1...28).map(Finding.issueID))
    }

    @Test func theLimitIsInclusiveAndZeroMeansNone() throws {
        let report = Self.report()
        let unlimited = try Self.render(report, max: 0)
        let unlimitedRows = Self.rows(unlimited, in: "## Issues Found")
        #expect(unlimitedRows.count == 28)
        #expect(unlimitedRows.map { $0.split(separator: "|")[0].trimmingCharacters(in: .whitespaces) }
            == (1...28).map(Finding.issueID))
        #expect(!unlimited.contains("findings (worst:"))
        #expect(try Self.render(report, max: 25) == unlimited)
        let justAbove = Self.rows(try Self.render(report, max: 24), in: "## Issues Found")
        #expect(justAbove.count == 4 && justAbove[3] == Self.summary)
        // Both rules above a limit of 2: two summary rows, in the order of their first findings.
        let both = Self.rows(try Self.render(report, max: 2), in: "## Issues Found")
        #expect(both.count == 2)
        #expect(both[0].hasPrefix("| I001–I003 | Missing index | MEDIUM | `fk-without-index`: 3 findings (worst: MEDIUM) on "
            + "`public.child1.parent_id_fkey`, `public.child2.parent_id_fkey` and `public.child3.parent_id_fkey` — "))
        #expect(both[1] == Self.summary)
    }

    @Test func detailsAppendsEveryFindingsRowAfterTheGate() throws {
        let report = Self.report()
        let markdown = try Self.render(report, details: true)
        let unlimited = try Self.render(report, max: 0)
        let issues = Self.rows(markdown, in: "## Issues Found")
        #expect(issues.count == 4)
        #expect(issues[3].hasSuffix("every finding is in the JSON/SARIF/JUnit outputs and in Details below |"))
        let gate = try #require(markdown.range(of: "## Quality Gate (Infra): "))
        let details = try #require(markdown.range(of: "\n## Details\n"))
        #expect(gate.upperBound < details.lowerBound)
        #expect(markdown.contains("\n## Details\nAll 28 findings of this audit in ID order"))
        // Same columns and the same rows as Issues Found without a limit.
        #expect(Self.rows(markdown, in: "## Details") == Self.rows(unlimited, in: "## Issues Found"))
        #expect(markdown.hasSuffix("| I028 | Schema | LOW | table-without-comment on public.t25. **Fix:** Fix public.t25. "
            + "(table-without-comment `public.t25`) |\n"))
        // Without details the report is the same up to the summary's last words.
        let plain = try Self.render(report)
        #expect(markdown.replacingOccurrences(of: "in Details below", with: "in the `--details` appendix")
            .hasPrefix(plain))
        let html = HTMLRenderer.render(markdown: markdown)
        #expect(html.contains("<h2>Details</h2>") && html.contains("<td>I028</td>"))
    }

    @Test func interleavedRulesNameTheFirstIDTheWorstSeverityAndEachObjectOnce() throws {
        var findings = [Self.finding("table-without-comment", .schema, .high, object: "public.t00"),
                        Self.finding("table-without-comment", .schema, .high, object: "public.t00"),
                        Self.finding("fk-without-index", .index, .medium, object: "public.child1.parent_id_fkey")]
        findings += (1...23).map { Self.finding("table-without-comment", .schema, .low, object: "public.t\(Self.twoDigits($0))") }
        findings[5].waiver = Waiver(reason: "legacy")
        let rows = Self.rows(try Self.render(Self.report(findings)), in: "## Issues Found")
        #expect(rows.count == 2)
        #expect(rows[0] == "| I001 | Schema | HIGH (1 not gating) | `table-without-comment`: 25 findings (worst: HIGH) on "
            + "`public.t00`, `public.t01`, `public.t02` and 21 more objects — every finding is in the JSON/SARIF/JUnit outputs "
            + "and in the `--details` appendix |")
        #expect(rows[1].hasPrefix("| I003 | Missing index | MEDIUM | fk-without-index on public.child1.parent_id_fkey."))
    }

    @Test func historyFindingsAreNotCountedInIssuesFoundButAreInDetails() throws {
        var report = Self.report()
        for index in 23...27 { report.issues[index].finding.exemption = .history }
        let markdown = try Self.render(report, details: true)
        let rows = Self.rows(markdown, in: "## Issues Found")
        #expect(rows.count == 4)
        #expect(rows[3].hasPrefix("| I004–I023 | Schema | LOW | `table-without-comment`: 20 findings (worst: LOW) on "
            + "`public.t01`, `public.t02`, `public.t03` and 17 more objects — "))
        let details = Self.rows(markdown, in: "## Details")
        #expect(details.count == 28)
        #expect(details[27].hasPrefix("| I028 | Schema | LOW (history: in an applied migration) |"))
    }

    @Test func filesNameTheSummaryWhenThereIsNoObject() throws {
        func findings(files: Int) -> [Finding] {
            (1...12).map { number in
                Finding(ruleID: "require-lock-timeout", category: .migration, severity: .medium, message: "m\(number)",
                        fix: "f", location: Location(file: "db/migrations/\(number % files).sql", line: number))
            }
        }
        let two = Self.rows(try Self.render(Self.report(findings(files: 2))), in: "## Issues Found")
        #expect(two == ["| I001–I012 | Migration | MEDIUM | `require-lock-timeout`: 12 findings (worst: MEDIUM) on "
            + "`db/migrations/1.sql` and `db/migrations/0.sql` — every finding is in the JSON/SARIF/JUnit outputs and in "
            + "the `--details` appendix |"])
        let five = Self.rows(try Self.render(Self.report(findings(files: 5))), in: "## Issues Found")
        #expect(five.count == 1 && five[0].contains("12 findings (worst: MEDIUM) on `db/migrations/1.sql`, "
            + "`db/migrations/2.sql`, `db/migrations/3.sql` and 2 more files — "))
    }

    @Test func configurationReadsTheLimitAndRejectsBadValuesWithKeyAndLine() throws {
        #expect(Configuration().report.maxRowsPerRule == 10)
        #expect(try ConfigurationLoader.parse("report:\n  max_rows_per_rule: 0\n").report.maxRowsPerRule == 0)
        #expect(try ConfigurationLoader.parse("report:\n  max_rows_per_rule: 50\n").report.maxRowsPerRule == 50)
        for (text, key, problem) in [("report:\n  max_rows_per_rule: -1\n", "report.max_rows_per_rule", "must be 0 (no limit) or more"),
                                     ("report:\n  max_rows_per_rule: many\n", "report.max_rows_per_rule", "expected a whole number"),
                                     ("report:\n  max_rows: 5\n", "report.max_rows", "unknown key; expected one of: max_rows_per_rule")] {
            #expect {
                try ConfigurationLoader.parse(text, file: "cfg.yml")
            } throws: { error in
                guard let error = error as? ConfigurationError else { return false }
                return error.key == key && error.line == 2 && error.problem == problem
                    && error.description.hasPrefix("cfg.yml:2: '\(key)'")
            }
        }
        #expect(throws: ConfigurationError.self) { try ConfigurationLoader.parse("report: 10\n") }
    }

    @Test func sessionRendersWithTheConfiguredLimit() throws {
        let folder = try TemporaryDirectory()
        try folder.write(".infra-guardian.yml", "report:\n  max_rows_per_rule: 0\n")
        let session = try Session(SessionOptions(directory: folder.path))
        let report = Self.report()
        #expect(Self.rows(try session.render(report, as: .md), in: "## Issues Found").count == 28)
        let defaults = try Session(SessionOptions(directory: try TemporaryDirectory().path))
        let markdown = try defaults.render(report, as: .md, details: true)
        #expect(Self.rows(markdown, in: "## Issues Found").count == 4)
        #expect(Self.rows(markdown, in: "## Details").count == 28)
        // The machine formats always carry every finding, --details or not.
        let json = try defaults.render(report, as: .json, details: true)
        #expect(json == (try defaults.render(report, as: .json)))
        #expect(try JSONRenderer.decoder().decode(Report.self, from: Data(json.utf8)).issues.count == 28)
        #expect(try defaults.render(report, as: .sarif, details: true).components(separatedBy: "\"ruleId\"").count - 1 == 28)
    }
}
