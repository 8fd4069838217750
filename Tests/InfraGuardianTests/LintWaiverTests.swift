import Testing
@testable import InfraGuardian

/// `-- infra-guardian:ignore|ignore-file|approve RULE reason`: waived findings stay visible.
@Suite struct LintWaiverTests {
    private func file(_ up: String) -> MigrationFile {
        Lint.dbmate("-- migrate:up\n\(up)\n-- migrate:down\nSELECT 1;\n")
    }

    @Test func statementWaiverCoversOnlyTheNextStatement() throws {
        let findings = Lint.evaluate(file("""
            -- infra-guardian:ignore require-concurrent-index leads holds 200 rows
            CREATE INDEX IF NOT EXISTS i1
                ON leads (a);
            CREATE INDEX IF NOT EXISTS i2 ON leads (b);
            """))
        let index = findings.filter { $0.ruleID == "require-concurrent-index" }
        #expect(index.count == 2)
        let waived = try #require(index.first { $0.location.line == 3 })
        #expect(waived.waiver?.reason == "leads holds 200 rows")
        #expect(waived.waiver?.location?.line == 2)
        #expect(index.first { $0.location.line == 5 }?.waiver == nil)
        #expect(!findings.contains { $0.ruleID == "unused-ignore" })
    }

    @Test func fileWaiverCoversTheWholeFile() {
        let findings = Lint.evaluate(file("""
            CREATE INDEX IF NOT EXISTS i1 ON leads (a);
            -- infra-guardian:ignore-file require-concurrent-index,require-idempotent-ddl maintenance window INFRA-7
            CREATE INDEX i2 ON leads (b);
            """))
        let relevant = findings.filter { ["require-concurrent-index", "require-idempotent-ddl"].contains($0.ruleID) }
        #expect(relevant.count == 3 && relevant.allSatisfy { $0.waiver?.reason == "maintenance window INFRA-7" })
    }

    @Test func waiverWithoutReasonIsReportedAndNotApplied() {
        let findings = Lint.evaluate(file("-- infra-guardian:ignore require-concurrent-index\nCREATE INDEX IF NOT EXISTS i1 ON leads (a);"))
        #expect(findings.contains { $0.ruleID == "waiver-without-reason" && $0.location.line == 2 && $0.severity == .medium })
        #expect(findings.contains { $0.ruleID == "require-concurrent-index" && $0.waiver == nil })
        #expect(!findings.contains { $0.ruleID == "unused-ignore" })
    }

    @Test func unusedWaiverIsReported() {
        let findings = Lint.evaluate(file("-- infra-guardian:ignore require-concurrent-index small table\nCREATE TABLE IF NOT EXISTS a (id int);"))
        let unused = findings.first { $0.ruleID == "unused-ignore" }
        #expect(unused?.severity == .low && unused?.location.line == 2)
        let typo = Lint.evaluate(file("-- infra-guardian:ignore require-concurent-index small table\nCREATE INDEX IF NOT EXISTS i ON a (id);"))
        #expect(typo.contains { $0.ruleID == "unused-ignore" && $0.message.contains("no rule has the id require-concurent-index") })
    }

    @Test func destructiveChangesNeedApproveNotIgnore() {
        let ignored = Lint.evaluate(file("-- Replaced by lead_events.\n-- infra-guardian:ignore ban-drop-table replaced by lead_events\nDROP TABLE IF EXISTS legacy;"))
        #expect(ignored.contains { $0.ruleID == "ban-drop-table" && $0.waiver == nil })
        #expect(ignored.contains { $0.ruleID == "unused-ignore" && $0.message.contains("approve") })
        // lock_timeout set: require-lock-timeout has nothing to say, so every finding left is waived.
        let approved = Lint.evaluate(file("SET lock_timeout = '5s';\n-- Replaced by lead_events.\n-- infra-guardian:approve ban-drop-table replaced by lead_events, INFRA-124\nDROP TABLE IF EXISTS legacy;"))
        #expect(approved.contains { $0.ruleID == "ban-drop-table" && $0.waiver?.reason == "replaced by lead_events, INFRA-124" })
        #expect(approved.allSatisfy { $0.waiver != nil }, "\(approved.map(\.ruleID))")
    }

    @Test func waiverMarkerIsNotDocumentation() {
        let findings = Lint.evaluate(file("-- infra-guardian:approve ban-drop-column unused since 4.2\nALTER TABLE leads DROP COLUMN IF EXISTS legacy;"))
        #expect(findings.contains { $0.ruleID == "require-breaking-change-doc" && $0.waiver == nil })
        #expect(findings.contains { $0.ruleID == "ban-drop-column" && $0.waiver != nil })
    }
}
