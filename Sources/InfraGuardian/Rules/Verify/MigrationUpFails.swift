/// The up section fails on a scratch database (first run, or run again after its down section).
struct MigrationUpFails: Rule {
    static let description = RuleDescription(
        id: "migration-up-fails", category: .verification, severity: .high,
        summary: "A migration's up section fails on a scratch database.",
        finds: "an up section that `verify` could not apply after the earlier migrations (the statement's line and PostgreSQL's message), or that fails when applied again after its own down section",
        why: """
        `verify` applied every earlier migration as dbmate (or the Supabase CLI) would, then this one: \
        PostgreSQL rejected it. The same file fails in the deploy pipeline, and a transaction:false file \
        leaves the database half-migrated. Failing after its own down section means the down section \
        leaves something the up section then collides with, so a rollback cannot be rolled forward.
        """,
        fix: "Fix the statement PostgreSQL rejected (the message says why), then run `infra-guardian verify` on the file again.",
        bad: [.verified("up fails at line 3: relation \"leads\" does not exist", at: .line(3)) {
            VerifiedMigration(file: RuleExample.verifiedFile, steps: RuleExample.steps(
                failing: .up, detail: "relation \"leads\" does not exist", line: 3, skipsRest: true))
        },
              .verified("up once more (after down) fails at line 4: index already exists", at: .line(4)) {
            VerifiedMigration(file: RuleExample.verifiedFile, steps: RuleExample.steps(
                failing: .upOnceMore, detail: "relation \"leads_score_idx\" already exists", line: 4))
        }],
        good: [.verified("every step passed") { VerifiedMigration(file: RuleExample.verifiedFile, steps: RuleExample.passedSteps()) }])

    func check(_ input: AuditInput, _ context: RuleContext) -> [Finding] {
        (input.verification?.migrations ?? []).compactMap { migration in
            if let up = migration.step(.up), up.outcome == .failed {
                return finding("The up section of \(migration.fileName) fails on a scratch database\(Self.at(up.line)): \(up.detail ?? "no message").",
                               at: Location(file: migration.file, line: up.line ?? 1))
            }
            if let again = migration.step(.upOnceMore), again.outcome == .failed {
                return finding("The up section of \(migration.fileName) applies, but fails when applied again after its down section\(Self.at(again.line)): \(again.detail ?? "no message"). The down section leaves what the up section creates.",
                               at: Location(file: migration.file, line: again.line ?? 1),
                               fix: "Make the down section drop everything the up section creates (IF EXISTS, in reverse order), so the migration can be rolled back and forward again.")
            }
            return nil
        }
    }

    static func at(_ line: Int?) -> String { line.map { " at line \($0)" } ?? "" }
}
