/// A strong lock on an existing table requested without `SET lock_timeout`.
struct RequireLockTimeout: ReadsStatementLocks {
    static let description = RuleDescription(
        id: "require-lock-timeout", category: .migration, severity: .medium,
        summary: "A statement takes ACCESS EXCLUSIVE or SHARE ROW EXCLUSIVE on an existing table with no lock_timeout set.",
        finds: "ACCESS EXCLUSIVE / SHARE ROW EXCLUSIVE on an existing table (foreign keys: on the referenced table too, even from a new table) with no `SET lock_timeout` before",
        why: """
        A lock request waits behind every transaction already using the table, and every query that \
        arrives after it waits behind the request: one long report query turns an instant ALTER TABLE \
        into an outage. lock_timeout makes the migration give up (and be retried) instead. Counted: most \
        ALTER TABLE forms, DROP TABLE, non-concurrent DROP INDEX and REINDEX, CREATE TRIGGER, renames, \
        TRUNCATE, policies, VACUUM FULL, CLUSTER, and foreign keys, which also lock the REFERENCED table \
        (even from a CREATE TABLE of a new table). Tables created earlier in the same file are exempt.
        """,
        fix: """
        Set it at the top of the up section (SET LOCAL inside an explicit BEGIN … COMMIT):
          -- migrate:up
          SET lock_timeout = '5s';
          ALTER TABLE leads ADD COLUMN IF NOT EXISTS source text;
        and retry the migration if it times out.
        """,
        bad: [.migration("ALTER TABLE leads ADD COLUMN IF NOT EXISTS source text;"),
              .migration("CREATE TABLE IF NOT EXISTS notes (id uuid PRIMARY KEY, lead_id uuid REFERENCES leads (id));")],
        good: [.migration("SET lock_timeout = '5s';\nALTER TABLE leads ADD COLUMN IF NOT EXISTS source text;"),
               .migration("BEGIN;\nSET LOCAL lock_timeout = '5s';\nALTER TABLE leads ADD COLUMN IF NOT EXISTS source text;\nCOMMIT;"),
               .migration("CREATE TABLE IF NOT EXISTS notes (id uuid PRIMARY KEY, body text);\nALTER TABLE notes ADD COLUMN IF NOT EXISTS title text;\nCOMMENT ON TABLE notes IS 'Notes';")])

    func check(_ input: AuditInput, _ context: RuleContext) -> [Finding] {
        let analysis = context.migrations(input)
        let upStatements = analysis.upStatements, statementLocks = analysis.statementLocks
        return statementLocks.indices.compactMap { position in
            guard !statementLocks[position].locks.isEmpty else { return nil }
            let statement = upStatements[position].statement
            let locks = statementLocks[position].locks
            guard !statement.lockTimeoutSet, let strongest = locks.max(by: { $0.mode < $1.mode }) else { return nil }
            let also = locks.count == 1 ? "" : Self.otherRelations(locks, besides: strongest.relation)
            return finding("\(strongest.mode.sql) lock on \(strongest.described)\(also) requested with no lock_timeout: while it waits, every later \(strongest.mode == .accessExclusive ? "query" : "write") on \(strongest.relation) queues behind it.",
                           at: statement.location)
        }
    }

    /// ", and a strong lock on a, b," for the other relations locked, sorted; "" when there are none.
    private static func otherRelations(_ locks: [RelationLock], besides strongest: String) -> String {
        let others = Set(locks.map(\.relation)).subtracting([strongest]).sorted()
        return others.isEmpty ? "" : ", and a strong lock on \(others.joined(separator: ", ")),"
    }
}
