import Foundation
import InfraGuardianTestSupport
import Testing
@testable import InfraGuardian

/// History (findings of applied migrations) and baselines: what they exempt, what they never do.
struct ExemptionTests {
    static let createLeads = Lint.dbmate("""
        -- migrate:up
        CREATE TABLE IF NOT EXISTS leads (id bigint PRIMARY KEY, phone text);
        -- migrate:down
        DROP TABLE IF EXISTS leads;
        """, name: "202401010000_leads.sql")
    static let blockingIndex = Lint.dbmate("""
        -- migrate:up
        CREATE INDEX IF NOT EXISTS idx_leads_phone ON leads (phone);
        -- migrate:down
        DROP INDEX IF EXISTS idx_leads_phone;
        """, name: "202402010000_index.sql")

    func statuses(_ set: MigrationSet, applied: Set<String>) -> [MigrationStatusEntry] {
        MigrationStatusResolver.resolve(set, history: MigrationHistory(
            dbmate: applied.sorted().map { AppliedMigration(version: $0) }))
    }

    func build(_ files: [MigrationFile], applied: Set<String>?, policy: GatePolicy = GatePolicy(),
               baseline: LoadedBaseline? = nil) -> (findings: [Finding], summary: ExemptionSummary?) {
        let set = MigrationSet(files: files)
        var findings = Evaluator().evaluate(AuditInput(migrations: set), configuration: Configuration())
        let summary = Exemptions.apply(to: &findings, migrations: set, statuses: applied.map { statuses(set, applied: $0) },
                                       policy: policy, baseline: baseline)
        return (findings, summary)
    }

    @Test func findingsOfAppliedMigrationsAreHistoryAndPendingOnesGate() throws {
        let files = [Self.createLeads, Self.blockingIndex]
        let applied = build(files, applied: ["202401010000", "202402010000"])
        let index = try #require(applied.findings.first { $0.ruleID == "require-concurrent-index" })
        #expect(index.exemption == .history)
        #expect(!index.isActive)
        #expect(applied.summary?.history == [ExemptionSummary.RuleCount(rule: "require-concurrent-index", severity: .high,
                                                                        findings: 1, files: 1)])
        let gate = QualityGate.evaluate(findings: applied.findings, issueID: { Finding.issueID($0 + 1) }, components: [],
                                        policy: GatePolicy(), exemptions: applied.summary)
        #expect(gate.passed)
        #expect(gate.reasons.contains("1 finding in migrations already applied reported as history, not gating (gate.history: report)"))

        let pending = build(files, applied: ["202401010000"])
        #expect(pending.findings.first { $0.ruleID == "require-concurrent-index" }?.exemption == nil)
        #expect(pending.summary == nil)
        #expect(!QualityGate.evaluate(findings: pending.findings, issueID: { Finding.issueID($0 + 1) }, components: [],
                                      policy: GatePolicy()).passed)
    }

    @Test func noDatabaseMeansNoHistory() {
        let result = build([Self.createLeads, Self.blockingIndex], applied: nil)
        #expect(result.summary == nil)
        #expect(result.findings.allSatisfy { $0.exemption == nil })
    }

    @Test func anAppliedFileEditedSinceTheBaseIsWorkAgain() {
        var edited = Self.blockingIndex
        edited.baseState = .modified
        let result = build([Self.createLeads, edited], applied: ["202401010000", "202402010000"])
        #expect(result.findings.allSatisfy { $0.exemption == nil })
        var unchanged = Self.blockingIndex
        unchanged.baseState = .unchanged
        #expect(build([Self.createLeads, unchanged], applied: ["202401010000", "202402010000"]).summary?.historyCount == 1)
    }

    @Test func historyFindingsComeAfterTheOthers() {
        // The earlier file has a finding that gates (pending), the later one history: order flips.
        let pendingDefect = Lint.dbmate("""
            -- migrate:up
            ALTER TABLE leads ADD COLUMN IF NOT EXISTS score integer NOT NULL;
            -- migrate:down
            ALTER TABLE leads DROP COLUMN IF EXISTS score;
            """, name: "202403010000_score.sql")
        let result = build([Self.createLeads, Self.blockingIndex, pendingDefect], applied: ["202401010000", "202402010000"])
        let exemptions = result.findings.map(\.exemption)
        #expect(exemptions.contains(.history))
        #expect(exemptions.contains(nil))
        #expect(exemptions.drop { $0 == nil }.allSatisfy { $0 == .history }, "\(exemptions)")
    }

    @Test func policyFailKeepsHistoryGatingAndHideRemovesIt() {
        var fail = GatePolicy()
        fail.history = .fail
        let strict = build([Self.createLeads, Self.blockingIndex], applied: ["202401010000", "202402010000"], policy: fail)
        #expect(strict.summary == nil)
        #expect(strict.findings.contains { $0.ruleID == "require-concurrent-index" && $0.isActive })

        var hide = GatePolicy()
        hide.history = .hide
        let hidden = build([Self.createLeads, Self.blockingIndex], applied: ["202401010000", "202402010000"], policy: hide)
        #expect(!hidden.findings.contains { $0.ruleID == "require-concurrent-index" })
        #expect(hidden.summary?.hiddenHistory == 1)
        #expect(hidden.summary?.history == [])
    }

    @Test func currentStateRulesAreNeverHistory() {
        #expect(Exemptions.currentStateRules.isSubset(of: Set(RuleRegistry.builtIn.map(\.ruleDescription.id))))
    }

    // MARK: baseline

    func baseline(of files: [MigrationFile]) -> LoadedBaseline {
        let set = MigrationSet(files: files)
        let findings = Evaluator().evaluate(AuditInput(migrations: set), configuration: Configuration())
        return LoadedBaseline(baseline: Baseline(findings: findings, migrations: set, generatedAt: Date(timeIntervalSince1970: 0),
                                                 toolVersion: "test"), path: "baseline.json")
    }

    @Test func baselineIgnoresLineNumbersCommentsAndWhiteSpace() throws {
        let recorded = baseline(of: [Self.createLeads, Self.blockingIndex])
        let moved = Lint.dbmate("""
            -- migrate:up
            -- the lead search, added by the growth team
            CREATE INDEX IF NOT EXISTS   idx_leads_phone
                ON leads (phone);
            -- migrate:down
            DROP INDEX IF EXISTS idx_leads_phone;
            """, name: "202402010000_index.sql")
        let result = build([Self.createLeads, moved], applied: nil, baseline: recorded)
        #expect(result.findings.first { $0.ruleID == "require-concurrent-index" }?.exemption == .baseline)
        #expect(result.summary?.baseline == BaselineOutcome(path: "baseline.json", recorded: 1, matched: 1, fixed: 0))
    }

    @Test func eachBaselineEntryExcusesOneFindingAndFixedOnesAreCounted() throws {
        let recorded = baseline(of: [Self.createLeads, Self.blockingIndex])
        #expect(recorded.baseline.findings.count == 1)
        let twice = Lint.dbmate("""
            -- migrate:up
            CREATE INDEX IF NOT EXISTS idx_leads_phone ON leads (phone);
            CREATE INDEX IF NOT EXISTS idx_leads_phone ON leads (phone);
            -- migrate:down
            DROP INDEX IF EXISTS idx_leads_phone;
            """, name: "202402010000_index.sql")
        let repeated = build([Self.createLeads, twice], applied: nil, baseline: recorded)
        let exemptions = repeated.findings.filter { $0.ruleID == "require-concurrent-index" }.map(\.exemption)
        #expect(exemptions.sorted { ($0?.rawValue ?? "") < ($1?.rawValue ?? "") } == [nil, .baseline])

        let fixed = build([Self.createLeads], applied: nil, baseline: recorded)
        #expect(fixed.summary?.baseline == BaselineOutcome(path: "baseline.json", recorded: 1, matched: 0, fixed: 1))
        let gate = QualityGate.evaluate(findings: fixed.findings, issueID: { Finding.issueID($0 + 1) }, components: [],
                                        policy: GatePolicy(), exemptions: fixed.summary)
        #expect(gate.reasons.contains("baseline baseline.json: 0 of today's findings recorded there, not gating; 1 of its 1 fixed since"))
    }

    @Test func baselineEntriesOfRulesThatDidNotRunAreNeitherMatchedNorFixed() {
        var recorded = baseline(of: [Self.createLeads, Self.blockingIndex])
        recorded.baseline.findings.append(Baseline.Entry(rule: "dead-tuples-high", fingerprint: "x", location: "public.leads"))
        var findings: [Finding] = []
        let outcome = recorded.baseline.apply(to: &findings, migrations: MigrationSet(files: []), path: "b",
                                              evaluated: ["require-concurrent-index"])
        #expect(outcome == BaselineOutcome(path: "b", recorded: 1, matched: 0, fixed: 1))
    }

    @Test func baselineFileRoundTripsAndRejectsOtherFiles() throws {
        let directory = try TemporaryDirectory()
        let recorded = baseline(of: [Self.createLeads, Self.blockingIndex]).baseline
        try directory.write("b.json", try recorded.encoded())
        #expect(try Baseline.load(directory.path + "/b.json") == recorded)
        try directory.write("other.json", #"{"schemaVersion": 9, "generatedAt": "2026-01-01T00:00:00Z", "toolVersion": "x", "findings": []}"#)
        #expect(throws: Baseline.Problem.self) { try Baseline.load(directory.path + "/other.json") }
        try directory.write("report.json", #"{"files": 1}"#)
        #expect(throws: Baseline.Problem.self) { try Baseline.load(directory.path + "/report.json") }
    }

    @Test func renderersSayWhyAFindingDoesNotGate() throws {
        let result = build([Self.createLeads, Self.blockingIndex], applied: ["202401010000", "202402010000"])
        let finding = try #require(result.findings.first { $0.exemption == .history })
        #expect(TextFindingsRenderer.render(findings: [finding]).contains(": history (high): "))
        #expect(GitHubAnnotationRenderer.command(finding) == "notice")
        #expect(SARIFRenderer.suppressions(finding)?.first?.kind == "external")
        #expect(JUnitRenderer.isFailure(finding, [.high]) == false)
    }
}
