/// The up section took a write-blocking lock on an existing table that the linter did not predict.
struct LockNotPredicted: Rule {
    static let description = RuleDescription(
        id: "lock-not-predicted", category: .verification, severity: .medium,
        summary: "A migration took a lock on an existing table that the linter did not predict.",
        finds: "a SHARE ROW EXCLUSIVE, EXCLUSIVE or ACCESS EXCLUSIVE lock that a statement of the up section held on a table that existed before it (read from `pg_locks` after the statement), where the linter's lock model named no lock that strong on that table",
        why: """
        The lock rules (require-lock-timeout, statements-after-access-exclusive and the others) reason \
        from the linter's model of what each statement locks. `verify` ran the statement and read \
        `pg_locks`: this lock blocks writes to the table (ACCESS EXCLUSIVE blocks reads too) and the \
        model missed it, so the lint findings under-state this migration. It is also a linter bug: \
        please report the statement.
        """,
        fix: "Treat the statement as blocking the table: `SET lock_timeout = '5s';` before it, keep the transaction short, and deploy off-peak.",
        bad: [.verified("line 4 took AccessExclusiveLock on public.leads; the linter predicted none", at: .line(4)) {
            var migration = VerifiedMigration(file: RuleExample.verifiedFile, steps: RuleExample.passedSteps())
            migration.locks = [ObservedLock(table: "public.leads", mode: "AccessExclusiveLock", line: 4,
                                            statement: "CREATE TRIGGER leads_touch BEFORE UPDATE ON leads …", predicted: false)]
            return migration
        }],
        good: [.verified("line 4 took AccessExclusiveLock on public.leads, as predicted") {
            var migration = VerifiedMigration(file: RuleExample.verifiedFile, steps: RuleExample.passedSteps())
            migration.locks = [ObservedLock(table: "public.leads", mode: "AccessExclusiveLock", line: 4,
                                            statement: "ALTER TABLE leads ADD COLUMN score integer", predicted: true)]
            return migration
        },
               .verified("line 4 took ShareUpdateExclusiveLock on public.leads (does not block writes)") {
            var migration = VerifiedMigration(file: RuleExample.verifiedFile, steps: RuleExample.passedSteps())
            migration.locks = [ObservedLock(table: "public.leads", mode: "ShareUpdateExclusiveLock", line: 4,
                                            statement: "ALTER TABLE leads VALIDATE CONSTRAINT leads_score_check", predicted: false)]
            return migration
        }])

    func check(_ input: AuditInput, _ context: RuleContext) -> [Finding] {
        (input.verification?.migrations ?? []).flatMap { migration in
            migration.locks.filter { $0.isStrong && !$0.predicted }.map { lock in
                finding("Line \(lock.line) of \(migration.fileName) took \(lock.mode) on \(lock.table) (`\(lock.statement)`), which the linter did not predict.",
                        at: Location(file: migration.file, line: lock.line))
            }
        }
    }
}
