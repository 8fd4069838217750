/// DROP SCHEMA in an up section.
struct BanDropSchema: Rule {
    static let description = RuleDescription(
        id: "ban-drop-schema", category: .migration, severity: .high,
        summary: "DROP SCHEMA removes a namespace, and with CASCADE every table and row in it.",
        finds: "up-section `DROP SCHEMA` without `-- infra-guardian:approve ban-drop-schema <reason>`",
        why: """
        With CASCADE, every table, view, function and type of the schema goes with it, data included, \
        and only a backup brings it back; without CASCADE it fails as soon as the schema holds anything, \
        so the statement is either destructive or broken. Code that names the schema or has it in its \
        search_path fails at once. A schema created earlier in the same file is not flagged, nor drops \
        in the down section.
        """,
        fix: """
        1. Move or drop the schema's objects one by one, each with its own review.
        2. Check a backup exists.
        3. Drop the empty schema, without CASCADE, with an approval on the line above:
             -- infra-guardian:approve ban-drop-schema emptied in 202405011200, ticket INFRA-131
             DROP SCHEMA IF EXISTS legacy;
        """,
        bad: [.migration("DROP SCHEMA IF EXISTS legacy CASCADE;")],
        good: [.migration("-- migrate:up\nCREATE SCHEMA IF NOT EXISTS analytics;\n-- migrate:down\nDROP SCHEMA IF EXISTS analytics;\n"),
               .migration("CREATE SCHEMA IF NOT EXISTS scratch;\nDROP SCHEMA IF EXISTS scratch;")],
        requiresApproval: true)

    func check(_ input: AuditInput, _ context: RuleContext) -> [Finding] {
        context.migrations(input).upStatements(kind: .dropStmt).flatMap { file, statement -> [Finding] in
            guard statement.dropObjectType == .schema, let up = file.up else { return [] }
            let cascade = statement.node[.behavior].equals(PG.DropBehavior.cascade) ? " CASCADE" : ""
            return statement.droppedSchemaObjects
                .filter { !up.created($0.object, before: statement.index) }
                .map { finding("DROP SCHEMA \($0.display)\(cascade) without `-- infra-guardian:approve ban-drop-schema <reason>`.",
                               at: statement.location) }
        }
    }
}
