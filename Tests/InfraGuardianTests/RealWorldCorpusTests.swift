import Foundation
import Testing
@testable import InfraGuardian

/// The real-world-shaped corpus under Tests/Corpus: each expected finding of MEDIUM or above is
/// pinned, and so is the silence of everything else (a false finding fails the test as surely as a
/// missed one). What the findings say and fix is pinned below for the patterns that used to be wrong.
struct RealWorldCorpusTests {
    static let folder = repositoryRoot + "/Tests/Corpus/supabase-real/supabase/migrations"

    static func findings(supabaseCLI: SupabaseCLIVersion = .latest) -> [Finding] {
        var settings = MigrationSettings()
        settings.supabaseCLI = supabaseCLI
        let set = MigrationCollector.collect(folders: [folder], root: "/", settings: settings)
        return Linter.lint(set, configuration: Configuration(), rules: RuleRegistry.builtIn).findings
    }

    static func line(_ finding: Finding) -> String {
        let file = PathName.last(of: finding.location.file ?? "")
        return "\(finding.severity.rawValue) \(file):\(finding.location.line ?? 0) \(finding.ruleID)"
    }

    @Test func everyExpectedFindingAndNothingElseOfMediumOrAbove() throws {
        let expected = try String(contentsOfFile: repositoryRoot + "/Tests/Corpus/supabase-real/expected-findings.txt", encoding: .utf8)
            .split(separator: "\n").filter { !$0.hasPrefix("#") && !$0.isEmpty }.map(String.init).sorted()
        let found = Self.findings().filter { $0.severity >= .medium }.map(Self.line).sorted()
        #expect(found == expected)
    }

    @Test func oneLockTimeoutFindingPerTransactionListingItsTables() throws {
        let lockTimeout = Self.findings().filter { $0.ruleID == "require-lock-timeout" }
        let only = try #require(lockTimeout.first)
        #expect(lockTimeout.count == 1)
        #expect(only.message.contains("3 strong locks"))
        for table in ["clinics (line 2)", "leads (line 3)", "patients (line 4)"] { #expect(only.message.contains(table)) }
        // FORCE after ENABLE and the policy on leads hold locks the transaction already has.
        #expect(!only.message.contains("line 5") && !only.message.contains("line 8"))
        #expect(only.fix.contains("SET lock_timeout = '5s';") && only.fix.contains("20240201000000_tighten_rls.sql"))
        #expect(!only.fix.contains("BEGIN") && !only.fix.contains("SET LOCAL"))
    }

    @Test func fixesNameTheRealObjectsAndFitSupabase() throws {
        let findings = Self.findings()
        let partitioned = try #require(findings.first { $0.ruleID == "require-concurrent-index" })
        #expect(partitioned.fix.contains("CREATE INDEX IF NOT EXISTS idx_events_kind ON ONLY public.events (kind, at DESC);"))
        #expect(partitioned.fix.contains("CREATE INDEX CONCURRENTLY IF NOT EXISTS events_2024_idx_events_kind ON events_2024 (kind, at DESC);"))
        #expect(partitioned.fix.contains("ALTER INDEX idx_events_kind ATTACH PARTITION events_2024_idx_events_kind;"))
        let drops = findings.filter { $0.ruleID == "require-concurrent-index-deletion" }
        #expect(drops.map(\.message).contains { $0.contains("on patients (the table of index idx_patients_lead)") })
        #expect(drops.map(\.message).contains { $0.contains("idx_from_the_dashboard (an index not created in these migrations)") })
        for finding in findings {
            #expect(!finding.fix.contains("migrate:up"), "dbmate markers in a Supabase fix: \(finding.ruleID)")
            #expect(!finding.fix.contains("idx_leads_phone") && !finding.fix.contains("legacy_leads"),
                    "an example name in a concrete fix: \(finding.ruleID)")
        }
    }

    /// The same files under the CLI release that still ran every file in one transaction, and under
    /// the current one that runs concurrent builds standalone.
    @Test func concurrentBuildsAreJudgedByTheConfiguredSupabaseCLI() throws {
        let latest = Self.findings()
        let outsideDoBlocks = { (finding: Finding) in !(finding.location.file ?? "").hasSuffix("_do_blocks.sql") }
        #expect(!latest.filter(outsideDoBlocks).contains { $0.ruleID == "concurrently-in-transaction" })
        let mixed = try #require(latest.first { $0.ruleID == "non-atomic-migration-file" })
        #expect(mixed.message.contains("line 2 and CREATE INDEX CONCURRENTLY at line 3"))
        #expect(mixed.fix.contains("CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_leads_created_at ON public.leads (created_at);"))
        #expect(mixed.fix.contains("CREATE INDEX IF NOT EXISTS idx_lead_sources_name ON public.lead_sources (name);"))
        let old = Self.findings(supabaseCLI: SupabaseCLIVersion(major: 2, minor: 108))
        #expect(!old.contains { $0.ruleID == "non-atomic-migration-file" })
        let rejected = old.filter(outsideDoBlocks).filter { $0.ruleID == "concurrently-in-transaction" }.map(Self.line).sorted()
        #expect(rejected == ["CRITICAL 20240701000000_leads_phone_index.sql:2 concurrently-in-transaction",
                             "CRITICAL 20240702000000_lead_sources.sql:2 concurrently-in-transaction",
                             "CRITICAL 20240702000000_lead_sources.sql:3 concurrently-in-transaction"])
        #expect(old.filter(outsideDoBlocks).filter { $0.ruleID == "concurrently-in-transaction" }
            .allSatisfy { $0.message.contains("Supabase CLI 2.108.0") })
    }

    /// DO blocks: their DDL is linted at its own line, their dynamic SQL said to be unread, and the
    /// guard that makes them idempotent respected.
    @Test func doBlocksAreLintedInside() throws {
        let findings = Self.findings().filter { ($0.location.file ?? "").hasSuffix("_do_blocks.sql") }
        let unread = try #require(findings.first { $0.ruleID == "do-block-not-analysed" })
        #expect(unread.severity == .info && unread.location.line == 19 && unread.message.contains("EXECUTE at line 23"))
        #expect(!findings.contains { $0.ruleID == "require-idempotent-ddl" || $0.ruleID == "require-lock-timeout" })
        let foreignKey = try #require(findings.first { $0.ruleID == "constraint-missing-not-valid" })
        #expect(foreignKey.fix.contains("ALTER TABLE public.patients ADD CONSTRAINT patients_clinic_fk FOREIGN KEY (clinic_id) REFERENCES public.clinics (id) NOT VALID;"))
        #expect(foreignKey.fix.contains("ALTER TABLE public.patients VALIDATE CONSTRAINT patients_clinic_fk;"))
        let unique = try #require(findings.first { $0.ruleID == "unique-constraint-without-index" })
        #expect(unique.fix.contains("CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS clinics_name_key ON public.clinics (name);"))
        #expect(unique.fix.contains("ALTER TABLE public.clinics ADD CONSTRAINT clinics_name_key UNIQUE USING INDEX clinics_name_key;"))
        let concurrent = try #require(findings.first { $0.ruleID == "concurrently-in-transaction" })
        #expect(concurrent.message.contains("inside the DO block at line 15") && concurrent.fix.hasPrefix("Take it out of the DO block."))
    }

    @Test func supabaseNamesAreJudgedAsTheCLIDoes() {
        let naming = Self.findings().filter { $0.ruleID == "migration-file-naming" }
        #expect(naming.map(Self.line) == ["LOW 20241399000000_comment_leads.sql:0 migration-file-naming"])
    }
}
