/// VACUUM FULL or CLUSTER in a migration.
struct PreferRepack: ReadsStatementLocks {
    static let description = RuleDescription(
        id: "prefer-repack", category: .migration, severity: .high,
        summary: "VACUUM FULL or CLUSTER rewrites the table under ACCESS EXCLUSIVE for the whole run.",
        finds: "`VACUUM FULL` or `CLUSTER` (ACCESS EXCLUSIVE for the whole rewrite): use pg_repack / pg_squeeze",
        why: """
        VACUUM FULL and CLUSTER copy the table and rebuild its indexes while holding ACCESS EXCLUSIVE: no \
        reads and no writes until the copy ends, minutes to hours on a large table, and twice the disk \
        space meanwhile. pg_repack and pg_squeeze do the same rewrite online, locking only briefly at \
        the start and the end. Tables created earlier in the same file are exempt.
        """,
        fix: """
        Reclaim space outside the migration, online:
          pg_repack --table=public.leads --no-superuser-check "$DATABASE_URL"
        or schedule pg_squeeze. A plain VACUUM (no FULL) needs no strong lock and keeps the space reusable.
        """,
        bad: [.migration("VACUUM FULL leads;"), .migration("CLUSTER leads USING idx_leads_status_created_at;")],
        good: [.migration("-- migrate:up transaction:false\nVACUUM (ANALYZE) leads;\n-- migrate:down\nSELECT 1;\n")])

    func check(_ input: AuditInput, _ context: RuleContext) -> [Finding] {
        let analysis = context.migrations(input)
        let positions = (analysis.upStatementPositions(kind: .vacuumStmt) + analysis.upStatementPositions(kind: .clusterStmt)).sorted()
        guard !positions.isEmpty else { return [] }
        let statementLocks = analysis.statementLocks
        return positions.compactMap { position in
            let statement = analysis.upStatements[position].statement
            guard let lock = statementLocks[position].locks.first else { return nil }
            let what = statement.kind == .clusterStmt ? "CLUSTER" : "VACUUM FULL"
            let fix = "Take it out of the migration and reclaim the space online, e.g.:\n"
                + "  pg_repack --table=\(lock.relation) --no-superuser-check \"$DATABASE_URL\"\n"
                + "or schedule pg_squeeze. A plain VACUUM (no FULL) of \(lock.relation) needs no strong lock and keeps the space reusable."
            return finding("\(what) of \(lock.relation) rewrites it under ACCESS EXCLUSIVE: use pg_repack or pg_squeeze.",
                           at: statement.location, fix: fix)
        }
    }
}
