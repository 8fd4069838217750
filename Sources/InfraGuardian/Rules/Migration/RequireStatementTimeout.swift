/// A scan or rewrite under a strong lock on an existing table without `SET statement_timeout`.
struct RequireStatementTimeout: ReadsStatementLocks {
    static let description = RuleDescription(
        id: "require-statement-timeout", category: .migration, severity: .low,
        summary: "A statement scans or rewrites an existing table under a strong lock with no statement_timeout set.",
        finds: "a scan or rewrite of an existing table under a strong lock with no `SET statement_timeout` before",
        why: """
        lock_timeout bounds the wait for the lock; statement_timeout bounds how long it is HELD. \
        Statements that scan or rewrite the table while holding ACCESS EXCLUSIVE or SHARE ROW EXCLUSIVE \
        (validated constraints, SET NOT NULL, rewriting type changes and defaults, unique constraints \
        without an index, VACUUM FULL, CLUSTER, REINDEX) last as long as the table is large; without a \
        bound, a table bigger than expected blocks traffic until the statement ends. Catalog-only \
        statements (renames, a column with a constant default) are not counted: their lock is brief.
        """,
        fix: """
        Bound it at the top of the up section, generously enough for the expected size:
          -- migrate:up
          SET lock_timeout = '5s';
          SET statement_timeout = '15min';
        Better: use the online form the statement's own rule describes, which needs no long lock.
        """,
        bad: [.migration("ALTER TABLE leads ALTER COLUMN source SET NOT NULL;")],
        good: [.migration("SET statement_timeout = '5min';\nALTER TABLE leads ALTER COLUMN source SET NOT NULL;"),
               .migration("ALTER TABLE leads ADD COLUMN IF NOT EXISTS source text NOT NULL DEFAULT 'unknown';")])

    func check(_ input: AuditInput, _ context: RuleContext) -> [Finding] {
        let analysis = context.migrations(input)
        let upStatements = analysis.upStatements, statementLocks = analysis.statementLocks
        return statementLocks.indices.compactMap { position in
            guard !statementLocks[position].locks.isEmpty else { return nil }
            let (file, statement) = upStatements[position]
            guard !statement.statementTimeoutSet, let lock = statementLocks[position].locks.first(where: \.scans) else { return nil }
            let fix = FixText.addSetting("statement_timeout = '15min'", before: statement, file: file.file)
                + ", generous enough for \(lock.relation) at its largest: it bounds how long the lock is held. "
                + "Better: the online form the statement's own rule describes, which holds no long lock."
            return finding("\(lock.mode.sql) on \(lock.described) is held while the statement scans or rewrites it, with no statement_timeout set.",
                           at: statement.location, fix: fix)
        }
    }
}
