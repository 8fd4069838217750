/// Renames of indexes, views, sequences, schemas, types, functions, constraints, triggers…
struct RenamingObject: Rule {
    static let description = RuleDescription(
        id: "renaming-object", category: .migration, severity: .medium,
        summary: "A rename of an index, view, sequence, schema, type, function, constraint, trigger or enum value breaks what refers to it by name.",
        finds: "rename of an existing index, view, sequence, schema, type, function, constraint, trigger, policy or enum value",
        why: """
        Code and scripts name more than tables and columns: views and functions are queried, sequences \
        read with nextval('…'), constraints named in `ON CONFLICT ON CONSTRAINT …` and in error \
        handling, schemas in search_path, enum values stored in rows and compared in code. The rename is \
        visible at commit, before the code that uses the new name is deployed. Objects created earlier \
        in the same file, and objects of a table created there, are not flagged.
        """,
        fix: """
        Keep the old name working until nothing uses it:
          - view or function: create the new one next to the old, move the callers, drop the old later;
          - constraint or index: check nothing names it (ON CONFLICT ON CONSTRAINT, monitoring), then rename;
          - enum value: add the new value (ALTER TYPE … ADD VALUE), migrate rows and code, stop using the old one.
        """,
        bad: [.migration("ALTER INDEX idx_leads_phone RENAME TO idx_leads_phone_hash;"),
              .migration("ALTER TABLE leads RENAME CONSTRAINT leads_email_key TO leads_email_hash_key;"),
              .migration("ALTER TYPE lead_status RENAME VALUE 'new' TO 'fresh';")],
        good: [.migration("CREATE INDEX IF NOT EXISTS idx_tmp ON leads_staging (phone);\nALTER INDEX idx_tmp RENAME TO idx_leads_staging_phone;"),
               .migration("CREATE TYPE lead_status AS ENUM ('new');\nALTER TYPE lead_status RENAME VALUE 'new' TO 'fresh';")])

    func check(_ input: AuditInput, _ context: RuleContext) -> [Finding] {
        context.migrations(input).shared(Renames.self).compactMap { rename in
            guard rename.type != "COLUMN", rename.type != "TABLE" else { return nil }
            return finding("RENAME \(Renames.describe(rename.type)) \(rename.old) TO \(rename.new): what still refers to \(rename.old) breaks from the commit.",
                           at: rename.statement.location)
        }
    }
}
