/// TRUNCATE … CASCADE.
struct BanTruncateCascade: Rule {
    static let description = RuleDescription(
        id: "ban-truncate-cascade", category: .migration, severity: .high,
        summary: "TRUNCATE … CASCADE also empties every table that references the truncated ones, recursively.",
        finds: "`TRUNCATE … CASCADE`",
        why: """
        CASCADE silently truncates every table with a foreign key to the named tables, and the tables \
        referencing those, under ACCESS EXCLUSIVE: a migration meant for one staging table can empty \
        patients, cases and consents. The set of tables depends on the foreign keys present in the \
        target database, which the migration does not show.
        """,
        fix: """
        Name every table to empty explicitly and keep the default RESTRICT, so PostgreSQL refuses when \
        another table still references them:
          TRUNCATE TABLE leads_import, leads_import_errors;
        """,
        bad: [.migration("TRUNCATE TABLE leads CASCADE;")],
        good: [.migration("TRUNCATE TABLE leads_import, leads_import_errors;")])

    func check(_ input: AuditInput, _ context: RuleContext) -> [Finding] {
        context.migrations(input).upStatements(kind: .truncateStmt).compactMap { _, statement in
            guard statement.kind == .truncateStmt, statement.node[.behavior].equals(PG.DropBehavior.cascade) else { return nil }
            let tables = statement.node[.relations].array.compactMap { $0.node(.rangeVar)[.relname].string }
            let named = statement.node[.relations].array.map { ConstraintFixText.qualified($0.node(.rangeVar)) }
            let fix = "Name every table to empty and keep the default RESTRICT, so PostgreSQL refuses while another table "
                + "still references them (add those tables to the list once you have checked they may be emptied too):\n"
                + "  TRUNCATE TABLE \(named.joined(separator: ", "));"
            return finding("TRUNCATE \(tables.joined(separator: ", ")) CASCADE also empties every table referencing them.",
                           at: statement.location, fix: fix)
        }
    }
}
