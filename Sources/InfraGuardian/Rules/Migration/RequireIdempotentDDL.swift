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
    /// nil when its text cannot be rewritten safely (then the rule's guidance stands). Works on the
    /// one-line text's words: keywords are matched case-insensitively, nothing else is touched.
    static func guarded(_ statement: SQLStatement) -> String? {
        var words = FixText.oneLine(statement).split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        let upper = words.map { $0.uppercased() }
        let temporary: Set<String> = ["GLOBAL", "LOCAL", "TEMP", "TEMPORARY", "UNLOGGED"]
        /// Inserts `guardWords` after `CREATE [optional…] keywords…` (and CONCURRENTLY) unless already there.
        func guardAfter(_ keywords: [String], optional: Set<String> = [], _ guardWords: String = "IF NOT EXISTS") -> Bool {
            var position = 0
            for keyword in keywords {
                while position < upper.count, optional.contains(upper[position]) { position += 1 }
                guard position < upper.count, upper[position] == keyword else { return false }
                position += 1
            }
            if position < upper.count, upper[position] == "CONCURRENTLY" { position += 1 }
            guard position < upper.count, upper[position] != "IF" else { return false }
            words.insert(guardWords, at: position)
            return true
        }
        let changed: Bool
        switch statement.kind {
        case .createStmt: changed = guardAfter(["CREATE", "TABLE"], optional: temporary)
        case .indexStmt:
            // IF NOT EXISTS needs a name.
            changed = statement.createIndex?.name != nil && guardAfter(["CREATE", "INDEX"], optional: ["UNIQUE"])
        case .createSchemaStmt: changed = guardAfter(["CREATE", "SCHEMA"])
        case .createExtensionStmt: changed = guardAfter(["CREATE", "EXTENSION"])
        case .createSeqStmt: changed = guardAfter(["CREATE", "SEQUENCE"], optional: temporary)
        case .createTableAsStmt:
            changed = guardAfter(["CREATE", "MATERIALIZED", "VIEW"]) || guardAfter(["CREATE", "TABLE"], optional: temporary)
        case .viewStmt:
            guard upper.first == "CREATE", upper.count > 1, upper[1] != "OR" else { return nil }
            words.insert("OR REPLACE", at: 1)
            changed = true
        case .dropStmt:
            guard upper.first == "DROP", upper.count > 2 else { return nil }
            let typeWords = ["MATERIALIZED", "FOREIGN"].contains(upper[1]) ? 2 : upper[1] == "TEXT" ? 3 : 1
            changed = guardAfter(["DROP"] + upper[1..<min(1 + typeWords, upper.count)], "IF EXISTS")
        case .alterTableStmt:
            var inserted = 0
            for position in upper.indices.reversed() where position + 2 < upper.count && upper[position + 2] != "IF" {
                switch (upper[position], upper[position + 1]) {
                case ("ADD", "COLUMN"): words.insert("IF NOT EXISTS", at: position + 2); inserted += 1
                case ("DROP", "COLUMN"), ("DROP", "CONSTRAINT"): words.insert("IF EXISTS", at: position + 2); inserted += 1
                default: break
                }
            }
            // ADD without COLUMN is an ADD COLUMN too; its guard needs the keyword: leave it to the guidance.
            let unguardedAdds = zip(statement.alterCommands, statement.alterSubtypes)
                .filter { $0.1 == .addColumn && !$0.0[.missingOk].bool }.count
            let guardedAdds = zip(upper, upper.dropFirst()).filter { $0 == ("ADD", "COLUMN") }.count
            changed = inserted > 0 && guardedAdds >= unguardedAdds
        default:
            return nil
        }
        return changed ? words.joined(separator: " ") : nil
    }

    private static func note(_ statement: SQLStatement) -> String {
        statement.kind == .viewStmt
            ? "\nOR REPLACE keeps the view's existing columns in order; if they change, DROP VIEW IF EXISTS it first." : ""
    }
}
