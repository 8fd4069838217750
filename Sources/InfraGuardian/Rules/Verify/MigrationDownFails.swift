/// The down section is missing, empty, or fails right after the up section.
struct MigrationDownFails: Rule {
    static let description = RuleDescription(
        id: "migration-down-fails", category: .verification, severity: .high,
        summary: "A migration cannot be rolled back: its down section is missing, empty or fails.",
        finds: "a dbmate migration whose `-- migrate:down` section is missing or empty, or fails on a scratch database right after its up section (the statement's line and PostgreSQL's message)",
        why: """
        A rollback is the way back from a bad deploy. `verify` applied the up section, then the down \
        section, on a scratch database: when that fails there, `dbmate rollback` fails in the incident too, \
        and the repair becomes manual work on production data.
        """,
        fix: "Write the down section as the up section undone in reverse order, each statement with IF EXISTS; run `infra-guardian verify` on the file again.",
        bad: [.verified("down fails at line 9: cannot drop column referenced by a view", at: .line(9)) {
            VerifiedMigration(file: RuleExample.verifiedFile, steps: RuleExample.steps(
                failing: .down, detail: "cannot drop column score of table leads because other objects depend on it", line: 9, skipsRest: true))
        },
              .verified("no down section", at: .line(1)) {
            VerifiedMigration(file: RuleExample.verifiedFile, steps: RuleExample.steps(
                failing: .down, detail: VerificationStep.noDownSection, line: nil, skipsRest: true))
        }],
        good: [.verified("every step passed") { VerifiedMigration(file: RuleExample.verifiedFile, steps: RuleExample.passedSteps()) }])

    func check(_ input: AuditInput, _ context: RuleContext) -> [Finding] {
        (input.verification?.migrations ?? []).compactMap { migration in
            guard let down = migration.step(.down), down.outcome == .failed else { return nil }
            if let detail = down.detail, VerificationStep.missingDownDetails.contains(detail) {
                return finding("\(migration.fileName) cannot be rolled back: \(detail).",
                               at: Location(file: migration.file, line: down.line ?? 1))
            }
            return finding("The down section of \(migration.fileName) fails on a scratch database\(MigrationUpFails.at(down.line)): \(down.detail ?? "no message").",
                           at: Location(file: migration.file, line: down.line ?? 1))
        }
    }
}
