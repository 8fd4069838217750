/// ADD CONSTRAINT … UNIQUE / PRIMARY KEY on an existing table without USING INDEX.
struct UniqueConstraintWithoutIndex: Rule {
    static let description = RuleDescription(
        id: "unique-constraint-without-index", category: .migration, severity: .high,
        summary: "ADD CONSTRAINT … UNIQUE / PRIMARY KEY builds its index under ACCESS EXCLUSIVE on an existing table.",
        finds: "`ADD CONSTRAINT … UNIQUE/PRIMARY KEY` on an existing table without `USING INDEX` (index built under ACCESS EXCLUSIVE)",
        why: """
        Without USING INDEX, PostgreSQL builds the unique index inside the ALTER TABLE, holding ACCESS \
        EXCLUSIVE for the whole build: no reads and no writes. Building the index CONCURRENTLY first and \
        attaching it with USING INDEX takes the strong lock only for a catalog update. A column added \
        with UNIQUE or PRIMARY KEY builds its index the same way. Tables created earlier in the same \
        file are exempt.
        """,
        fix: """
        Build the index concurrently (alone, outside a transaction), then attach it:
          -- migrate:up transaction:false
          CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS leads_email_hash_key ON leads (email_hash);
          -- next migration
          SET lock_timeout = '5s';
          ALTER TABLE leads ADD CONSTRAINT leads_email_hash_key UNIQUE USING INDEX leads_email_hash_key;
        For a PRIMARY KEY, the columns must already be NOT NULL (see set-not-null).
        """,
        bad: [.migration("ALTER TABLE leads ADD CONSTRAINT leads_email_hash_key UNIQUE (email_hash);"),
              .migration("ALTER TABLE leads ADD PRIMARY KEY (id);"),
              .migration("ALTER TABLE leads ADD COLUMN IF NOT EXISTS external_ref text UNIQUE;")],
        good: [.migration("SET lock_timeout = '5s';\nALTER TABLE leads ADD CONSTRAINT leads_email_hash_key UNIQUE USING INDEX leads_email_hash_key;"),
               .migration("CREATE TABLE IF NOT EXISTS notes (id uuid, ref text);\nALTER TABLE notes ADD CONSTRAINT notes_ref_key UNIQUE (ref);")])

    private static let kinds: [PG.ConstrType: String] = [.unique: "UNIQUE", .primary: "PRIMARY KEY"]

    func check(_ input: AuditInput, _ context: RuleContext) -> [Finding] {
        let analysis = context.migrations(input)
        var filesByPath: [String: MigrationFile]?
        let constraints = analysis.shared(AddedConstraints.self).compactMap { constraint -> Finding? in
            guard let type = constraint.type, let kind = Self.kinds[type], !constraint.usesExistingIndex else { return nil }
            let name = constraint.name.map { " \($0)" } ?? ""
            if filesByPath == nil {
                filesByPath = Dictionary(analysis.files.map { ($0.file.path, $0.file) }, uniquingKeysWith: { first, _ in first })
            }
            let file = filesByPath?[constraint.statement.file]
            return finding("\(kind)\(name) on \(constraint.table) builds its index under ACCESS EXCLUSIVE. Build it with CREATE UNIQUE INDEX CONCURRENTLY, then ADD CONSTRAINT … USING INDEX.",
                           at: constraint.statement.location,
                           fix: file.flatMap { ConstraintFixText.uniqueUsingIndex(constraint, file: $0, supabaseCLI: analysis.supabaseCLI) })
        }
        let columns = analysis.shared(AddedColumns.self).compactMap { column -> Finding? in
            guard let kind = column.constraintTypes.compactMap({ Self.kinds[$0] }).first else { return nil }
            return finding("Column \(column.table).\(column.name ?? "?") is added \(kind): its index is built under ACCESS EXCLUSIVE.",
                           at: column.statement.location)
        }
        // The report orders findings by location and message, so constraints and columns can come apart.
        return constraints + columns
    }
}
