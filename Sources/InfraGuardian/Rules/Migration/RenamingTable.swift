/// ALTER TABLE … RENAME TO on a table that existed before the migration.
struct RenamingTable: Rule {
    static let description = RuleDescription(
        id: "renaming-table", category: .migration, severity: .high,
        summary: "ALTER TABLE … RENAME TO breaks every query still naming the old table.",
        finds: "`ALTER TABLE … RENAME TO` on an existing table, unless a view keeps the old name in the same section",
        why: """
        The rename is instant (a brief ACCESS EXCLUSIVE lock) and visible to every session at commit, \
        while the deployed code, cron jobs, reports and other services still use the old name: they all \
        fail until they are updated, and rolling the code back fails the other way. A table created \
        earlier in the same file is not flagged, nor a rename followed in the same section by a view \
        that keeps the old name working.
        """,
        fix: """
        Expand and contract:
        1. Rename, and keep the old name alive as a simple (updatable) view in the same migration:
             ALTER TABLE leads RENAME TO prospects;
             CREATE VIEW leads AS SELECT * FROM prospects;
        2. Deploy code using the new name; move the other readers.
        3. Later, drop the view (with an approval for ban-drop-object).
        """,
        bad: [.migration("ALTER TABLE leads RENAME TO prospects;")],
        good: [.migration("CREATE TABLE IF NOT EXISTS leads_draft (id uuid PRIMARY KEY);\nALTER TABLE leads_draft RENAME TO prospects;"),
               .migration("ALTER TABLE leads RENAME TO prospects;\nCREATE OR REPLACE VIEW leads AS SELECT * FROM prospects;")])

    func check(_ input: AuditInput, _ context: RuleContext) -> [Finding] {
        context.migrations(input).shared(Renames.self).compactMap { rename in
            guard rename.type == "TABLE" else { return nil }
            // A view under the old name, created after the rename, keeps the old code working.
            if rename.section.created(SchemaObject(.relation, rename.old), after: rename.statement.index) { return nil }
            let schema = rename.statement.node[.relation][.schemaname].string.map { quoteIdentifier($0) + "." } ?? ""
            let (old, new) = (schema + quoteIdentifier(rename.old), schema + quoteIdentifier(rename.new))
            let fix = """
                Keep the old name alive as a simple (updatable) view in the same migration:
                  \(FixText.oneLine(rename.statement));
                  CREATE OR REPLACE VIEW \(old) AS SELECT * FROM \(new);
                Then deploy code using \(rename.new), and drop the view later (with `-- infra-guardian:approve ban-drop-object <reason>`).
                """
            return finding("RENAME table \(rename.old) TO \(rename.new): every query still naming \(rename.old) fails from the commit until it is updated.",
                           at: rename.statement.location, fix: fix)
        }
    }
}
