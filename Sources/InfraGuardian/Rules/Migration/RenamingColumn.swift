/// RENAME COLUMN on a table that existed before the migration.
struct RenamingColumn: Rule {
    static let description = RuleDescription(
        id: "renaming-column", category: .migration, severity: .high,
        summary: "ALTER TABLE … RENAME COLUMN breaks the code still using the old name.",
        finds: "`RENAME COLUMN` on a table not created earlier in the same file (code on the old name breaks until deployed)",
        why: """
        The rename itself is instant (a brief ACCESS EXCLUSIVE lock), but it takes effect for every \
        session at commit, while the application servers still run the code written for the old name: \
        every query naming the column fails until the new code is deployed, and a rollback of the code \
        fails the other way. Renames on a table created earlier in the same file are not flagged; a \
        view's column is renamed with the same rule, since readers break alike.
        """,
        fix: """
        Expand and contract, over several deploys:
        1. Add the new column and keep both in step:
             ALTER TABLE leads ADD COLUMN IF NOT EXISTS phone_hash text;
             -- a trigger copying phone → phone_hash on INSERT/UPDATE, then a batched backfill
        2. Deploy code that writes both and reads the new one.
        3. Later, drop the old column (with `-- infra-guardian:approve ban-drop-column <reason>`).
        Or, when a view is enough: rename the table's column and recreate the old name in a view that
        the old code reads.
        """,
        bad: [.migration("ALTER TABLE leads RENAME COLUMN phone TO phone_hash;")],
        good: [.migration("CREATE TABLE IF NOT EXISTS leads (id uuid PRIMARY KEY, phone text);\nALTER TABLE leads RENAME COLUMN phone TO phone_hash;"),
               .migration("ALTER TABLE leads ADD COLUMN IF NOT EXISTS phone_hash text;")])

    func check(_ input: AuditInput, _ context: RuleContext) -> [Finding] {
        context.migrations(input).shared(Renames.self).compactMap { rename in
            guard rename.type == "COLUMN" else { return nil }
            let table = rename.statement.targetTable ?? "?"
            let relation = ConstraintFixText.relation(rename.statement)
            let (old, new) = (quoteIdentifier(rename.old), quoteIdentifier(rename.new))
            let fix = """
                Expand and contract, over several deploys:
                1. ALTER TABLE \(relation) ADD COLUMN IF NOT EXISTS \(new) <the type of \(old)>;
                   and keep both in step (a trigger copying \(old) to \(new) on INSERT/UPDATE), then backfill in batches.
                2. Deploy code that writes both and reads \(new).
                3. Later, drop \(old) (with `-- infra-guardian:approve ban-drop-column <reason>`).
                """
            return finding("RENAME COLUMN \(table).\(rename.old) TO \(rename.new): code still reading or writing \(rename.old) fails from the commit until the new code is deployed.",
                           at: rename.statement.location, fix: fix)
        }
    }
}
