/// DDL that fails when run a second time: CREATE without IF NOT EXISTS, DROP without IF EXISTS.
struct RequireIdempotentDDL: Rule {
    static let description = RuleDescription(
        id: "require-idempotent-ddl", category: .migration, severity: .medium,
        summary: "A CREATE without IF NOT EXISTS or a DROP without IF EXISTS makes the migration fail when re-run.",
        why: """
        The seed requires idempotent migrations: a migration re-run after a partial failure (a \
        `transaction:false` section, a manual repair, a restored staging copy) must not stop at an object \
        that already exists or is already gone. Only the up section is checked: the down section runs \
        once, right after its up section succeeded.
        """,
        fix: """
        Use the guarded forms: CREATE TABLE/INDEX/SCHEMA/SEQUENCE/EXTENSION IF NOT EXISTS, \
        CREATE OR REPLACE VIEW, ALTER TABLE … ADD COLUMN IF NOT EXISTS, DROP … IF EXISTS, \
        ALTER TABLE … DROP COLUMN/CONSTRAINT IF EXISTS.
        """,
        bad: [.migration("CREATE TABLE leads (id uuid PRIMARY KEY);"),
              .migration("ALTER TABLE leads ADD COLUMN source text;"),
              .migration("DROP INDEX idx_leads_phone;"),
              .migration("CREATE VIEW active_leads AS SELECT * FROM leads WHERE deleted_at IS NULL;")],
        good: [.migration("CREATE TABLE IF NOT EXISTS leads (id uuid PRIMARY KEY);\nALTER TABLE leads ADD COLUMN IF NOT EXISTS source text;"),
               .migration("CREATE OR REPLACE VIEW active_leads AS SELECT * FROM leads WHERE deleted_at IS NULL;"),
               .migration("-- migrate:up\nCREATE TABLE IF NOT EXISTS leads (id uuid PRIMARY KEY);\n-- migrate:down\nDROP TABLE leads;\n")])

    func check(_ input: AuditInput, _ context: RuleContext) -> [Finding] {
        context.migrations(input).upStatements.compactMap { _, statement in
            let problems = Self.problems(statement)
            guard !problems.isEmpty else { return nil }
            return finding("Not idempotent: \(problems.joined(separator: "; ")).", at: statement.location)
        }
    }

    private static let creates = ["CreateStmt": "CREATE TABLE", "IndexStmt": "CREATE INDEX", "CreateSchemaStmt": "CREATE SCHEMA",
                                  "CreateExtensionStmt": "CREATE EXTENSION", "CreateSeqStmt": "CREATE SEQUENCE",
                                  "CreateTableAsStmt": "CREATE TABLE AS / MATERIALIZED VIEW"]
    private static let guardedAlters = ["AT_AddColumn": "ADD COLUMN without IF NOT EXISTS",
                                        "AT_DropColumn": "DROP COLUMN without IF EXISTS",
                                        "AT_DropConstraint": "DROP CONSTRAINT without IF EXISTS"]

    static func problems(_ statement: SQLStatement) -> [String] {
        let node = statement.node
        if let what = creates[statement.kind] {
            return node["if_not_exists"].bool ? [] : ["\(what) without IF NOT EXISTS"]
        }
        switch statement.kind {
        case "ViewStmt":
            return node["replace"].bool ? [] : ["CREATE VIEW without OR REPLACE"]
        case "DropStmt":
            return node["missing_ok"].bool ? [] : ["DROP \(statement.dropObjectType ?? "") without IF EXISTS"]
        case "AlterTableStmt":
            return statement.alterCommands.compactMap { command in
                guard let subtype = command["subtype"].string, let problem = guardedAlters[subtype],
                      !command["missing_ok"].bool else { return nil }
                return problem
            }
        default:
            return []
        }
    }
}
