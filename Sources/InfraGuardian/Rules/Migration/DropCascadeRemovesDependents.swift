/// DROP TABLE|VIEW … CASCADE that also drops other tables' foreign keys or views of the migrations.
struct DropCascadeRemovesDependents: ReadsAppliedSchema {
    static let description = RuleDescription(
        id: "drop-cascade-removes-dependents", category: .migration, severity: .high,
        summary: "DROP … CASCADE silently drops the foreign keys and views that depend on what it drops.",
        finds: """
        `DROP TABLE|VIEW|MATERIALIZED VIEW … CASCADE` where tables of the migrations have foreign keys to what \
        is dropped, or views of the migrations read it (and views reading those): each is named; silent when \
        nothing the migrations created depends on it, or when everything dropped was created in the same file
        """,
        why: """
        Without CASCADE the drop fails while something depends on it, which is the warning. With CASCADE, \
        PostgreSQL drops every dependent view and every foreign key pointing at the table, without a word: \
        the referencing tables keep their rows but lose their integrity check, and the code reading the views \
        fails. This rule names what goes; ban-drop-table is about the dropped table itself.
        """,
        fix: """
        Drop or re-point the dependents explicitly first (ALTER TABLE notes DROP CONSTRAINT notes_lead_id_fkey; \
        DROP VIEW v_leads;), then drop without CASCADE, so a dependent nobody knew about makes the migration \
        fail instead of disappearing.
        """,
        bad: [.migrations([
            ("202401011200_create.sql", "CREATE TABLE IF NOT EXISTS leads (id bigint PRIMARY KEY);\nCREATE TABLE IF NOT EXISTS notes (id bigint PRIMARY KEY, lead_id bigint REFERENCES leads (id));\nCREATE VIEW v_leads AS SELECT id FROM leads;"),
            ("202402011200_drop.sql", "DROP TABLE IF EXISTS leads CASCADE;"),
        ])],
        good: [.migration("CREATE TABLE IF NOT EXISTS leads (id bigint PRIMARY KEY);\nDROP TABLE IF EXISTS leads CASCADE;"),
               .migration("DROP TABLE IF EXISTS legacy_leads CASCADE;")])

    func check(_ input: AuditInput, _ context: RuleContext) -> [Finding] {
        let analysis = context.migrations(input)
        let positions = analysis.upStatementPositions(kind: .dropStmt).filter { position in
            let statement = analysis.upStatements[position].statement
            return statement.drop?.cascades == true && !statement.droppedCreatedInFile
        }
        guard !positions.isEmpty else { return [] }
        let schema = analysis.shared(AppliedSchema.self)
        return positions.compactMap { position in
            let statement = analysis.upStatements[position].statement
            guard let dependents = schema.cascadeDependents[position], let type = statement.dropObjectType else { return nil }
            return finding("DROP \(type.words.uppercased()) \(statement.droppedObjects.joined(separator: ", ")) CASCADE also drops \(FixText.list(dependents)).",
                           at: statement.location)
        }
    }
}
