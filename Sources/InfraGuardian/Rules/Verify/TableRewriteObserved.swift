/// A statement of the up section rewrote a table or index that existed before it.
struct TableRewriteObserved: Rule {
    static let description = RuleDescription(
        id: "table-rewrite-observed", category: .verification, severity: .medium,
        summary: "A migration rewrote an existing table or index.",
        finds: "a statement after which a table or index that existed before the migration has a new file (`relfilenode`): its data was copied under an ACCESS EXCLUSIVE lock. One finding per statement, naming every relation it rewrote; HIGH when the linter predicted no lock that covers it",
        why: """
        A rewrite copies every row (and rebuilds every index) while the table is locked against reads \
        and writes: seconds on a scratch table, minutes on a production one. `verify` compared each \
        relation's file before and after the statement. When the linter did not predict it, the lint \
        findings under-state this migration (and that is a linter bug: please report the statement).
        """,
        fix: """
        Avoid the rewrite: add the new column or type alongside, backfill it in batches, then switch; \
        or use a type change PostgreSQL does without a rewrite (varchar(n) to a larger n or text, a \
        numeric of greater precision).
        """,
        bad: [.verified("line 3 rewrote public.leads and its index (1,000 seeded rows)", at: .line(3)) {
            var migration = VerifiedMigration(file: RuleExample.verifiedFile, steps: RuleExample.passedSteps())
            migration.rewrites = [
                ObservedRewrite(relation: "public.leads", kind: "table", line: 3, statement: "ALTER TABLE leads ALTER COLUMN score TYPE bigint",
                                rows: 1000, predicted: true),
                ObservedRewrite(relation: "public.leads_score_idx", kind: "index", line: 3,
                                statement: "ALTER TABLE leads ALTER COLUMN score TYPE bigint", rows: nil, predicted: true),
            ]
            return migration
        }],
        good: [.verified("no relation that existed before changed its file") {
            VerifiedMigration(file: RuleExample.verifiedFile, steps: RuleExample.passedSteps())
        }])

    func check(_ input: AuditInput, _ context: RuleContext) -> [Finding] {
        (input.verification?.migrations ?? []).flatMap { migration in
            Dictionary(grouping: migration.rewrites, by: \.line).sorted { $0.key < $1.key }.map { line, rewrites in
                let names = rewrites.map { "\($0.kind) \($0.relation)\($0.rows.map { " (\($0) rows)" } ?? "")" }
                let predicted = rewrites.allSatisfy(\.predicted)
                var result = finding("Line \(line) of \(migration.fileName) (`\(rewrites[0].statement)`) rewrote \(names.joined(separator: ", "))"
                                     + (predicted ? "." : "; the linter did not predict it."),
                                     at: Location(file: migration.file, line: line))
                if !predicted { result.severity = .high }
                return result
            }
        }
    }
}
