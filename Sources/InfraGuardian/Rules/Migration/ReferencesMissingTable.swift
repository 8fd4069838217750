/// REFERENCES to a table no migration creates before it, in a folder that builds its database from empty.
struct ReferencesMissingTable: ReadsAppliedSchema {
    static let description = RuleDescription(
        id: "references-missing-table", category: .migration, severity: .high,
        summary: "A foreign key REFERENCES a table that no migration creates before it: the statement fails.",
        finds: """
        `REFERENCES t` (column or table constraint, CREATE TABLE or ALTER TABLE) where no earlier statement \
        creates `t` (or renames something to it), only when the folder builds its database from empty: its first \
        file creates tables, that file's foreign keys name tables the migrations create, and no DDL in any file works on a table the \
        migrations did not create; tables in other schemas than public (`auth.users`…) and names a DO block \
        mentions are not judged
        """,
        why: """
        PostgreSQL resolves the referenced table when the constraint is created: if it does not exist yet, \
        the migration fails ("relation \\"…\\" does not exist"). It happens when files are applied in another \
        order than they were written (a renamed or re-dated file), or when a table is created in a later \
        file, and it shows only on a fresh database: a new environment, CI, `supabase db reset`.
        """,
        fix: """
        Create the referenced table in an earlier migration, or add the foreign key in a later one (ALTER \
        TABLE … ADD CONSTRAINT … FOREIGN KEY … NOT VALID, then VALIDATE CONSTRAINT).
        """,
        bad: [.migrations([
            ("202401011200_notes.sql", "CREATE TABLE IF NOT EXISTS clinics (id bigint PRIMARY KEY);\nCREATE TABLE IF NOT EXISTS notes (id bigint PRIMARY KEY, lead_id bigint REFERENCES leads (id));"),
            ("202401021200_leads.sql", "CREATE TABLE IF NOT EXISTS leads (id bigint PRIMARY KEY, clinic_id bigint REFERENCES clinics (id));"),
        ], at: .line(3))],
        good: [.migration("CREATE TABLE IF NOT EXISTS leads (id bigint PRIMARY KEY);\nCREATE TABLE IF NOT EXISTS notes (id bigint PRIMARY KEY, lead_id bigint REFERENCES leads (id), user_id uuid REFERENCES auth.users (id));"),
               .migration("ALTER TABLE notes ADD COLUMN IF NOT EXISTS lead_id bigint REFERENCES leads (id);")])

    func check(_ input: AuditInput, _ context: RuleContext) -> [Finding] {
        let analysis = context.migrations(input)
        let candidates = analysis.upStatements(kinds: [.createStmt, .alterTableStmt])
        guard !candidates.isEmpty else { return [] }
        let schema = analysis.shared(AppliedSchema.self)
        guard schema.startsFromEmptyDatabase else { return [] }
        return candidates.flatMap { file, statement -> [Finding] in
            let step = ApplyStep(file, statement)
            var seen: Set<String> = []
            return ForeignKeyTargets.of(statement).compactMap { target in
                guard target.schema == nil || target.schema == "public", seen.insert(target.name).inserted,
                      !(statement.kind == .createStmt && target.name == statement.targetTable),
                      !schema.relations.exists(target.name, before: step), !schema.mentionedInOpaqueSQL(target.name) else { return nil }
                let later = schema.relations.firstCreation(of: target.name, after: step)
                    .flatMap { later in analysis.files.first { $0.position == later.file }?.file.fileName }
                let why = later.map { "is created only later, in \($0)" }
                    ?? (schema.relations.everCreated(target.name) ? "is dropped or renamed before this statement" : "no migration creates before this statement")
                return finding("\(statement.targetTable ?? "?") REFERENCES \(target.name), which \(why): the statement fails (\"relation \\\"\(target.name)\\\" does not exist\").",
                               at: statement.location)
            }
        }
    }
}
