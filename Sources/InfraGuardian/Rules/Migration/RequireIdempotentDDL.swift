import Foundation

/// DDL that fails when run a second time: CREATE without IF NOT EXISTS, DROP without IF EXISTS.
struct RequireIdempotentDDL: Rule {
    static let description = RuleDescription(
        id: "require-idempotent-ddl", category: .migration, severity: .medium,
        summary: "A CREATE without IF NOT EXISTS or a DROP without IF EXISTS makes the migration fail when re-run.",
        finds: "up-section `CREATE` without `IF NOT EXISTS`, `DROP` without `IF EXISTS`, `ADD COLUMN` without `IF NOT EXISTS`",
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
        let analysis = context.migrations(input)
        let candidates = Self.checkedKinds.map(analysis.upStatementPositions(kind:))
            + Self.unguardedAlters.map(analysis.upStatementPositions(withAlterCommand:))
        return analysis.upStatements(atAnyOf: candidates).compactMap { _, statement in
            // A DO block is how a migration guards what has no IF NOT EXISTS (IF NOT EXISTS (SELECT …
            // pg_constraint …) THEN, EXCEPTION WHEN duplicate_object): its statements are not judged alone.
            guard statement.doBlockLine == nil else { return nil }
            let problems = Self.problems(statement)
            guard !problems.isEmpty else { return nil }
            return finding("Not idempotent: \(problems.joined(separator: "; ")).", at: statement.location,
                           fix: Self.guarded(statement).map { "Guarded, it can run again:\n  \($0);" + Self.note(statement) })
        }
    }

    /// What `problems` has something to say about: these kinds, and ALTER TABLEs with these commands.
    private static let checkedKinds: [PG.NodeKind] = [.createStmt, .indexStmt, .createSchemaStmt, .createExtensionStmt, .createSeqStmt,
                                       .createTableAsStmt, .viewStmt, .dropStmt]
    private static let unguardedAlters: [PG.AlterTableType] = [.addColumn, .dropColumn, .dropConstraint]

    static func problems(_ statement: SQLStatement) -> [String] {
        let node = statement.node
        switch statement.kind {
        case .createStmt: return node[.ifNotExists].bool ? [] : ["CREATE TABLE without IF NOT EXISTS"]
        case .indexStmt: return node[.ifNotExists].bool ? [] : ["CREATE INDEX without IF NOT EXISTS"]
        case .createSchemaStmt: return node[.ifNotExists].bool ? [] : ["CREATE SCHEMA without IF NOT EXISTS"]
        case .createExtensionStmt: return node[.ifNotExists].bool ? [] : ["CREATE EXTENSION without IF NOT EXISTS"]
        case .createSeqStmt: return node[.ifNotExists].bool ? [] : ["CREATE SEQUENCE without IF NOT EXISTS"]
        case .createTableAsStmt:
            return node[.ifNotExists].bool ? [] : ["CREATE TABLE AS / MATERIALIZED VIEW without IF NOT EXISTS"]
        case .viewStmt:
            return node[.replace].bool ? [] : ["CREATE VIEW without OR REPLACE"]
        case .dropStmt:
            return node[.missingOk].bool ? [] : ["DROP \(statement.dropObjectType?.name ?? "") without IF EXISTS"]
        case .alterTableStmt:
            var problems: [String] = []
            for (command, subtype) in zip(statement.alterCommands, statement.alterSubtypes) {
                guard let problem = subtype.flatMap(unguardedAlter), !command[.missingOk].bool else { continue }
                problems.append(problem)
            }
            return problems
        default:
            return []
        }
    }

    /// What an ALTER TABLE command of this subtype lacks when it has no IF [NOT] EXISTS.
    private static func unguardedAlter(_ subtype: PG.AlterTableType) -> String? {
        switch subtype {
        case .addColumn: return "ADD COLUMN without IF NOT EXISTS"
        case .dropColumn: return "DROP COLUMN without IF EXISTS"
        case .dropConstraint: return "DROP CONSTRAINT without IF EXISTS"
        default: return nil
        }
    }

    /// The statement with the guards it lacks written in (`IF NOT EXISTS`, `IF EXISTS`, `OR REPLACE`);
    /// nil when its text cannot be rewritten safely (then the rule's guidance stands).
    static func guarded(_ statement: SQLStatement) -> String? {
        var text = FixText.oneLine(statement)
        let original = text
        let object = "(?:(?:GLOBAL|LOCAL)\\s+)?(?:(?:TEMP|TEMPORARY|UNLOGGED)\\s+)?"
        switch statement.kind {
        case .createStmt: text = replacing(text, "^(CREATE\\s+\(object)TABLE\\s+)", with: "$1IF NOT EXISTS ")
        case .indexStmt:
            guard statement.createIndex?.name != nil else { return nil }  // IF NOT EXISTS needs a name
            text = replacing(text, "^(CREATE\\s+(?:UNIQUE\\s+)?INDEX\\s+(?:CONCURRENTLY\\s+)?)", with: "$1IF NOT EXISTS ")
        case .createSchemaStmt: text = replacing(text, "^(CREATE\\s+SCHEMA\\s+)", with: "$1IF NOT EXISTS ")
        case .createExtensionStmt: text = replacing(text, "^(CREATE\\s+EXTENSION\\s+)", with: "$1IF NOT EXISTS ")
        case .createSeqStmt: text = replacing(text, "^(CREATE\\s+\(object)SEQUENCE\\s+)", with: "$1IF NOT EXISTS ")
        case .createTableAsStmt:
            text = replacing(text, "^(CREATE\\s+(?:MATERIALIZED\\s+VIEW|\(object)TABLE)\\s+)", with: "$1IF NOT EXISTS ")
        case .viewStmt: text = replacing(text, "^CREATE\\s+((?:(?:TEMP|TEMPORARY)\\s+)?(?:RECURSIVE\\s+)?VIEW\\s)", with: "CREATE OR REPLACE $1")
        case .dropStmt:
            text = replacing(text, "^(DROP\\s+(?:MATERIALIZED\\s+VIEW|FOREIGN\\s+TABLE|TEXT\\s+SEARCH\\s+\\w+|\\w+)\\s+(?:CONCURRENTLY\\s+)?)(?!IF\\s)",
                             with: "$1IF EXISTS ")
        case .alterTableStmt:
            text = replacing(text, "\\bADD\\s+COLUMN\\s+(?!IF\\s)", with: "ADD COLUMN IF NOT EXISTS ", all: true)
            text = replacing(text, "\\bDROP\\s+COLUMN\\s+(?!IF\\s)", with: "DROP COLUMN IF EXISTS ", all: true)
            text = replacing(text, "\\bDROP\\s+CONSTRAINT\\s+(?!IF\\s)", with: "DROP CONSTRAINT IF EXISTS ", all: true)
            // ADD without COLUMN is an ADD COLUMN too; its guard needs the keyword.
            let added = statement.alterSubtypes.filter { $0 == .addColumn }.count
            if text.uppercased().components(separatedBy: "ADD COLUMN IF NOT EXISTS").count - 1 < added { return nil }
        default: return nil
        }
        return text == original ? nil : text
    }

    private static func note(_ statement: SQLStatement) -> String {
        statement.kind == .viewStmt
            ? "\nOR REPLACE keeps the view's existing columns in order; if they change, DROP VIEW IF EXISTS it first." : ""
    }

    private static func replacing(_ text: String, _ pattern: String, with template: String, all: Bool = false) -> String {
        guard let expression = try? NSRegularExpression(pattern: pattern, options: [.caseInsensitive]) else { return text }
        let whole = NSRange(text.startIndex..., in: text)
        let range = all ? whole : (expression.firstMatch(in: text, range: whole)?.range ?? NSRange(location: NSNotFound, length: 0))
        guard range.location != NSNotFound else { return text }
        return expression.stringByReplacingMatches(in: text, range: range, withTemplate: template)
    }
}
