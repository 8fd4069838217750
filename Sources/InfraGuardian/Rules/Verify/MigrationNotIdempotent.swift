/// Applying the up section a second time fails.
struct MigrationNotIdempotent: Rule {
    static let description = RuleDescription(
        id: "migration-not-idempotent", category: .verification, severity: .medium,
        summary: "A migration's up section fails when applied a second time.",
        finds: "an up section that applied once on a scratch database and failed when `verify` applied it again (the statement's line and PostgreSQL's message)",
        why: """
        The seed requires idempotent migrations: a deploy retried after a timeout, a migration applied \
        by hand before dbmate recorded it, or a Supabase branch reset all run the same file twice. \
        `verify` ran it twice; the second run failed.
        """,
        fix: """
        Make the statement safe to repeat: `CREATE TABLE/INDEX … IF NOT EXISTS`, `ADD COLUMN IF NOT EXISTS`, \
        `CREATE OR REPLACE FUNCTION/VIEW`, and `DROP TRIGGER/POLICY IF EXISTS …` before `CREATE TRIGGER/POLICY`.
        """,
        bad: [.verified("up again fails at line 2: relation \"lead_scores\" already exists", at: .line(2)) {
            VerifiedMigration(file: RuleExample.verifiedFile, steps: RuleExample.steps(
                failing: .upAgain, detail: "relation \"lead_scores\" already exists", line: 2))
        }],
        good: [.verified("every step passed") { VerifiedMigration(file: RuleExample.verifiedFile, steps: RuleExample.passedSteps()) }])

    func check(_ input: AuditInput, _ context: RuleContext) -> [Finding] {
        (input.verification?.migrations ?? []).compactMap { migration in
            guard let again = migration.step(.upAgain), again.outcome == .failed else { return nil }
            return finding("Applying the up section of \(migration.fileName) a second time fails\(MigrationUpFails.at(again.line)): \(again.detail ?? "no message").",
                           at: Location(file: migration.file, line: again.line ?? 1))
        }
    }
}
