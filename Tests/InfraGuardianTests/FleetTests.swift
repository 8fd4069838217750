import Foundation
import InfraGuardianTestSupport
import Testing
@testable import InfraGuardian

/// The fleet report's pure parts: the summary over the databases' reports, the one gate, the JSON
/// layout, the Markdown, the targets file and what `merge` accepts.
@Suite struct FleetTests {
    static func finding(_ rule: String, _ severity: Severity, waived: Bool = false) -> Finding {
        Finding(ruleID: rule, category: .schema, severity: severity, message: "\(rule).", fix: "Fix it.",
                location: .object("public.t"), waiver: waived ? Waiver(reason: "known") : nil)
    }

    /// A database's report as `audit` builds it, with these components and findings.
    static func report(_ target: String, _ findings: [Finding], postgres: HealthState = .healthy,
                       redis: HealthState = .healthy, gateReasons: [String] = []) -> Report {
        var report = ReportBuilder().build(AuditInput(), configuration: Configuration())
        report.targets.postgres = target
        report.components = [ComponentHealth(component: "PostgreSQL", state: postgres, details: "pg"),
                             ComponentHealth(component: "pgvector", state: .notConfigured, details: "none"),
                             ComponentHealth(component: "Redis", state: redis, details: "redis"),
                             ComponentHealth(component: "Migrations", state: .healthy, details: "files")]
        report.issues = findings.indices.map { ReportIssue(id: Finding.issueID($0 + 1), finding: findings[$0]) }
        report.gate = GateVerdict(passed: gateReasons.isEmpty, reasons: gateReasons.isEmpty ? ["no unwaived findings"] : gateReasons)
        return report
    }

    /// Three databases given out of order: b unreachable, a and c with findings.
    static func fleet(problems: [FleetProblem] = []) -> FleetReport {
        let c = report("postgres://app:***@db/c", [finding("fk-without-index", .medium), finding("table-without-comment", .low),
                                                  finding("table-without-comment", .low, waived: true)], redis: .degraded)
        let b = report("postgres://app:***@db/b", [finding("postgres-unreachable", .high)], postgres: .unhealthy,
                       gateReasons: ["1 HIGH finding (I001)", "PostgreSQL is unhealthy: connection refused"])
        let a = report("postgres://app:***@db/a", [finding("table-without-comment", .low)])
        return FleetReport(databases: [c, b, a].map(FleetDatabase.init), problems: problems,
                           generatedAt: Date(timeIntervalSince1970: 1_700_000_000))
    }

    @Test func theSummaryGivesEachDatabaseItsWorstComponentAndFindings() {
        let summary = Self.fleet().summary
        #expect(summary.databases.map(\.target) == ["postgres://app:***@db/a", "postgres://app:***@db/b", "postgres://app:***@db/c"])
        let (a, b, c) = (summary.databases[0], summary.databases[1], summary.databases[2])
        #expect(a.worst == .healthy && a.worstComponents == ["PostgreSQL", "Redis", "Migrations"])
        #expect(b.worst == .unhealthy && b.worstComponents == ["PostgreSQL"] && !b.gatePassed)
        #expect(c.worst == .degraded && c.worstComponents == ["Redis"] && c.gatePassed)
        #expect(c.findings == 3 && c.notGating == 1 && c.severities == ["MEDIUM": 1, "LOW": 2])
        #expect(a.findings == 1 && a.severities == ["LOW": 1])
    }

    @Test func theSummaryCountsEachRuleAcrossTheFleetWorstFirst() {
        let rules = Self.fleet().summary.rules
        #expect(rules.map(\.ruleID) == ["postgres-unreachable", "fk-without-index", "table-without-comment"])
        let comments = rules[2]
        #expect(comments.findings == 3 && comments.notGating == 1 && comments.severity == .low)
        #expect(comments.databases == ["postgres://app:***@db/a", "postgres://app:***@db/c"])
        #expect(rules[0].databases == ["postgres://app:***@db/b"] && rules[0].severity == .high)
    }

    @Test func aRuleTakesItsWorstSeverityAndRulesOnMoreDatabasesComeFirst() {
        let one = Self.report("postgres://x/1", [Self.finding("r-low-wide", .low), Self.finding("r-mixed", .low)])
        let two = Self.report("postgres://x/2", [Self.finding("r-low-wide", .low), Self.finding("r-mixed", .medium),
                                                  Self.finding("r-low-narrow", .low), Self.finding("r-low-narrow", .low),
                                                  Self.finding("r-low-narrow", .low)])
        let rules = FleetSummary([one, two].map(FleetDatabase.init)).rules
        #expect(rules.map(\.ruleID) == ["r-mixed", "r-low-wide", "r-low-narrow"])
        #expect(rules[0].severity == .medium && rules[0].findings == 2)
    }

    @Test func oneGateFailsWhenAnyDatabaseFailsAndNamesIt() {
        let gate = Self.fleet(problems: [FleetProblem(source: "targets.txt:4", message: "`x y` is not audited: bad")]).gate
        #expect(!gate.passed)
        #expect(gate.reasons == ["`postgres://app:***@db/b`: 1 HIGH finding (I001)",
                                 "`postgres://app:***@db/b`: PostgreSQL is unhealthy: connection refused",
                                 "targets.txt:4: `x y` is not audited: bad"])
    }

    @Test func theGatePassesOnlyWhenEveryDatabasePassedAndNothingWasLeftOut() {
        let passing = [Self.report("postgres://x/1", []), Self.report("postgres://x/2", [Self.finding("r", .low)])]
        let fleet = FleetReport(databases: passing.map(FleetDatabase.init), problems: [], generatedAt: Date())
        #expect(fleet.gate == GateVerdict(passed: true, reasons: ["2 databases audited: every gate PASSED"]))
        let notMerged = FleetReport(databases: passing.map(FleetDatabase.init),
                                    problems: [FleetProblem(source: "shard.json", message: "not merged: not JSON")],
                                    generatedAt: Date())
        #expect(!notMerged.gate.passed)
        #expect(!FleetReport(databases: [], problems: [], generatedAt: Date()).gate.passed)
    }

    @Test func theJSONLayoutIsKindFleetAndDecodesToTheSameSummaryAndGate() throws {
        let fleet = Self.fleet(problems: [FleetProblem(source: "targets.txt:2", message: "bad line")])
        let json = try JSONRenderer.render(fleet)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        #expect(object["kind"] as? String == "fleet")
        #expect(object["schemaVersion"] as? Int == FleetReport.schemaVersion)
        #expect(Set(object.keys) == ["schemaVersion", "kind", "title", "generatedAt", "toolVersion", "databases",
                                     "problems", "summary", "gate"])
        let database = try #require((object["databases"] as? [[String: Any]])?.first)
        #expect(database["target"] as? String == "postgres://app:***@db/a")
        #expect((database["report"] as? [String: Any])?["schemaVersion"] as? Int == RulesTable.schemaVersion)
        let decoded = try JSONRenderer.decoder().decode(FleetReport.self, from: Data(json.utf8))
        #expect(decoded.summary == fleet.summary && decoded.gate == fleet.gate && decoded.problems == fleet.problems)
        #expect(try JSONRenderer.render(decoded) == json)
    }

    @Test func theMarkdownPutsTheSummaryAndGateFirstThenASectionPerDatabase() throws {
        let fleet = Self.fleet(problems: [FleetProblem(source: "targets.txt:4", message: "`a|b` is not audited: bad")])
        let markdown = try FleetMarkdownRenderer().render(fleet)
        let headings = markdown.split(separator: "\n").filter { $0.hasPrefix("#") }.map(String.init)
        #expect(headings == ["# Infrastructure Fleet Audit Report", "## Fleet Summary", "## Findings per Rule",
                             "## Quality Gate (Infra): FAILED",
                             "## Database 1: `postgres://app:***@db/a`", "### Database Analysis", "### Issues Found",
                             "## Database 2: `postgres://app:***@db/b`", "### Database Analysis", "### Issues Found",
                             "## Database 3: `postgres://app:***@db/c`", "### Database Analysis", "### Issues Found"])
        #expect(markdown.contains("| `postgres://app:***@db/b` | ❌ PostgreSQL | 1: 1 HIGH | ❌ FAILED |"))
        #expect(markdown.contains("| `postgres://app:***@db/c` | ⚠️ Redis | 3: 1 MEDIUM, 2 LOW (1 not gating) | ✅ PASSED |"))
        #expect(markdown.contains("| targets.txt:4 | ❌ | — | ❌ `a\\|b` is not audited: bad |"))
        #expect(markdown.contains("| `table-without-comment` | LOW | 3 (1 not gating) | `postgres://app:***@db/a`, `postgres://app:***@db/c` |"))
        #expect(markdown.contains("- `postgres://app:***@db/b`: PostgreSQL is unhealthy: connection refused"))
        #expect(markdown.contains("Gate of this database: **FAILED**"))
    }

    @Test func theCompiledInTemplateIsTheFile() throws {
        let file = try String(contentsOfFile: repositoryRoot + "/templates/fleet.md.mustache", encoding: .utf8)
        #expect(file == DefaultTemplates.fleetMarkdown, "templates/fleet.md.mustache and DefaultTemplates.swift differ: run scripts/sync-templates")
    }

    @Test func aTargetsFileSkipsCommentsAndReportsEachMalformedLine() {
        var list = FleetTargetList()
        list.add(urls: ["postgres://app@db/a"])
        list.add(lines: """
            # tenants of the EU cluster

            postgres://app:s3cret@db/b
              host=db dbname=c user=app
            tenant_d
            postgres://app@db/a
            mysql://app:s3cret@db/e
            tenant f
            host='unterminated
            tenant\u{7}g
            """, from: "targets.txt")
        #expect(list.targets.map(\.conninfo) == ["postgres://app@db/a", "postgres://app:s3cret@db/b",
                                                 "host=db dbname=c user=app", "service=tenant_d"])
        #expect(list.problems.map(\.source) == ["targets.txt:7", "targets.txt:8", "targets.txt:9", "targets.txt:10"])
        #expect(list.problems[0].message == "`mysql://app:***@db/e` is not audited: not a PostgreSQL URL (postgres:// or postgresql://)")
        #expect(list.problems[1].message.contains("nor a service name"))
        #expect(list.problems[2].message.contains("unterminated quoted string"), "\(list.problems[2].message)")
        #expect(list.problems[3].message.contains("control characters"))
        #expect(!list.problems.map(\.message).joined().contains("s3cret"))
    }

    @Test func anUnreadableTargetsFileIsAUsageError() {
        var list = FleetTargetList()
        #expect(throws: SessionError.self) { try list.add(file: "/nonexistent/targets.txt") }
    }

    @Test func mergeTellsAuditAndFleetReportsFromEverythingElse() {
        let audit: [String: Any] = ["schemaVersion": 2, "targets": [:], "components": [], "gate": [:]]
        #expect(FleetMerge.Kind(audit) == .audit)
        #expect(FleetMerge.Kind(["kind": "fleet", "schemaVersion": 1]) == .fleet)
        func reason(_ document: [String: Any]) -> String {
            if case .refused(let reason) = FleetMerge.Kind(document) { return reason }
            return "accepted"
        }
        #expect(reason(audit.merging(["schemaVersion": 3]) { $1 }).contains("schema version 3"))
        #expect(reason(audit.filter { $0.key != "schemaVersion" }).contains("schema version 1"))
        #expect(reason(["kind": "fleet", "schemaVersion": 2]).contains("fleet report of schema version 2"))
        #expect(reason(["kind": "sarif"]).contains("kind `sarif`"))
        #expect(reason(["schemaVersion": 2, "files": 3, "findings": []]).contains("a lint report"))
        #expect(reason(["x": 1]).contains("not an infra-guardian audit report"))
    }

    @Test func mergeOfFilesKeepsTheGoodOnesAndNamesTheOthers() throws {
        let directory = try TemporaryDirectory()
        // Edited by hand: its password is masked again.
        try directory.write("a.json", try JSONRenderer.render(Self.report("postgres://app:Edited1n@db/a", [])))
        try directory.write("fleet.json", try JSONRenderer.render(Self.fleet()))
        try directory.write("garbage.json", "{not json")
        try directory.write("static.json", try JSONRenderer.render(ReportBuilder().build(AuditInput(), configuration: Configuration())))
        let merged = FleetMerge.merge(["a.json", "fleet.json", "garbage.json", "static.json", "missing.json"].map { directory.path + "/" + $0 })
        #expect(merged.databases.map(\.target) == ["postgres://app:***@db/a", "postgres://app:***@db/a",
                                                   "postgres://app:***@db/b", "postgres://app:***@db/c"])
        #expect(merged.problems.map { ($0.source as NSString).lastPathComponent } == ["garbage.json", "missing.json", "static.json"])
        #expect(merged.problems[2].message.contains("without a PostgreSQL database"))
        #expect(!merged.gate.passed)
        #expect(!(try JSONRenderer.render(merged)).contains("Edited1n"))
        #expect(merged.gate.reasons.contains { $0.hasSuffix("garbage.json: not merged: not a JSON object (merge reads the output of `audit --format json`)") })
    }
}
