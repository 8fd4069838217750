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
        (even from a CREATE TABLE of a new table). Tables, views and indexes created earlier in the same \
        file are exempt, and so are locks the transaction already holds.
        """,
        fix: """
        Set it once where it covers every lock of the transaction: the first statement of the up section \
        (dbmate), of the file (Supabase), or right after an explicit BEGIN (as SET LOCAL):
          -- migrate:up
          SET lock_timeout = '5s';
          ALTER TABLE leads ADD COLUMN IF NOT EXISTS source text;
        and retry the migration if it times out. A lock the transaction already holds is not asked for \
        again, so it is not counted; reported once per transaction.
        """,
        bad: [.migration("ALTER TABLE leads ADD COLUMN IF NOT EXISTS source text;"),
              .migration("CREATE TABLE IF NOT EXISTS notes (id uuid PRIMARY KEY, lead_id uuid REFERENCES leads (id));")],
        good: [.migration("SET lock_timeout = '5s';\nALTER TABLE leads ADD COLUMN IF NOT EXISTS source text;"),
               .migration("BEGIN;\nSET LOCAL lock_timeout = '5s';\nALTER TABLE leads ADD COLUMN IF NOT EXISTS source text;\nCOMMIT;"),
               .migration("CREATE TABLE IF NOT EXISTS notes (id uuid PRIMARY KEY, body text);\nALTER TABLE notes ADD COLUMN IF NOT EXISTS title text;\nCOMMENT ON TABLE notes IS 'Notes';")])

    func check(_ input: AuditInput, _ context: RuleContext) -> [Finding] {
        let analysis = context.migrations(input)
        let statementLocks = analysis.statementLocks
        var findings: [Finding] = []
        var offset = 0  // position in `statementLocks` of the file's first up statement
        for file in analysis.files {
            let statements = file.up?.statements ?? []
            defer { offset += statements.count }
            for group in Self.sessions(statements) {
                let waits = group.flatMap { position -> [(statement: SQLStatement, lock: RelationLock)] in
                    let statement = statements[position]
                    guard !statement.lockTimeoutSet else { return [] }
                    return statementLocks[offset + position].locks.filter { !$0.alreadyHeld }.map { (statement, $0) }
                }
                guard let first = waits.first else { continue }
                findings.append(finding(Self.message(waits), at: first.statement.location,
                                        fix: Self.fix(first.statement, file: file.file, count: waits.count)))
            }
        }
        return findings
    }

    /// The statements one `SET lock_timeout` covers: each transaction block, and each run of
    /// consecutive autocommit statements (one session setting covers them all).
    static func sessions(_ statements: [SQLStatement]) -> [[Int]] {
        var groups: [[Int]] = []
        for block in TransactionBlocks.ranges(statements) {
            let positions = Array(block)
            if let last = groups.last?.last, !statements[last].inTransaction, !statements[block.lowerBound].inTransaction {
                groups[groups.count - 1] += positions
            } else {
                groups.append(positions)
            }
        }
        return groups
    }

    /// "ACCESS EXCLUSIVE lock on leads (line 3), SHARE ROW EXCLUSIVE on patients (line 5, referenced
    /// by a foreign key) requested with no lock_timeout…", ten named at most.
    static func message(_ waits: [(statement: SQLStatement, lock: RelationLock)]) -> String {
        var seen = Set<String>()
        var parts: [String] = []
        for (statement, lock) in waits {
            let key = "\(lock.relation)\u{1F}\(statement.line)\u{1F}\(lock.mode.sql)"
            guard seen.insert(key).inserted else { continue }
            let via = lock.via.map { ", \($0)" } ?? ""
            parts.append("\(lock.mode.sql) on \(lock.relation) (line \(statement.line)\(via))")
        }
        let strongest = waits.map(\.lock).max { $0.mode < $1.mode } ?? waits[0].lock
        let what = strongest.mode == .accessExclusive ? "query" : "write"
        if parts.count == 1 {
            return "\(strongest.mode.sql) lock on \(strongest.described) requested with no lock_timeout: while it waits, "
                + "every later \(what) on \(strongest.relation) queues behind it."
        }
        let shown = parts.prefix(10).joined(separator: ", ") + (parts.count > 10 ? " and \(parts.count - 10) more" : "")
        let scope = waits[0].statement.inTransaction ? "in one transaction" : "in one session"
        return "\(parts.count) strong locks requested with no lock_timeout \(scope): \(shown). "
            + "While one waits behind a long transaction, every later \(what) on that table queues behind it."
    }

    /// One setting where it covers them all, in the form this file's framework and block need.
    static func fix(_ first: SQLStatement, file: MigrationFile, count: Int) -> String {
        let covers = count == 1 ? "" : " One setting covers all \(count)."
        return FixText.addSetting("lock_timeout = '5s'", before: first, file: file)
            + ".\(covers) If the migration then times out, nothing waited long: run it again."
    }
}
