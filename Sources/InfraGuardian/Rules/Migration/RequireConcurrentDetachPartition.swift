/// ALTER TABLE … DETACH PARTITION without CONCURRENTLY on an existing partitioned table.
struct RequireConcurrentDetachPartition: Rule {
    static let description = RuleDescription(
        id: "require-concurrent-detach-partition", category: .migration, severity: .medium,
        summary: "DETACH PARTITION without CONCURRENTLY takes ACCESS EXCLUSIVE on the partitioned table.",
        finds: "`DETACH PARTITION` without `CONCURRENTLY` (PostgreSQL 14+)",
        why: """
        A plain DETACH PARTITION locks the parent table (every partition's queries) in ACCESS EXCLUSIVE \
        mode. DETACH PARTITION … CONCURRENTLY (PostgreSQL 14+) takes SHARE UPDATE EXCLUSIVE and waits \
        for running queries instead of blocking them. Tables created earlier in the same file are exempt.
        """,
        fix: """
        Detach concurrently, alone in a migration that runs outside a transaction:
          -- migrate:up transaction:false
          ALTER TABLE events DETACH PARTITION events_2023 CONCURRENTLY;
          -- migrate:down
          SELECT 1;
        If it is interrupted, finish it with ALTER TABLE events DETACH PARTITION events_2023 FINALIZE.
        """,
        bad: [.migration("ALTER TABLE events DETACH PARTITION events_2023;")],
        good: [.migration("-- migrate:up transaction:false\nALTER TABLE events DETACH PARTITION events_2023 CONCURRENTLY;\n-- migrate:down\nSELECT 1;\n")])

    func check(_ input: AuditInput, _ context: RuleContext) -> [Finding] {
        let analysis = context.migrations(input)
        return analysis.upStatements(withAlterCommands: [.detachPartition]).flatMap { file, statement -> [Finding] in
            guard statement.targetExistedBefore, let table = statement.targetTable else { return [] }
            return statement.alterCommands(.detachPartition).compactMap { command in
                let partition = command[.def].node(.partitionCmd)
                // FINALIZE (its own subtype) completes an interrupted concurrent detach: not matched here.
                guard !partition[.concurrent].bool else { return nil }
                let name = partition[.name][.relname].string ?? "?"
                let parent = ConstraintFixText.relation(statement)
                let detach = "ALTER TABLE \(parent) DETACH PARTITION \(name) CONCURRENTLY;"
                let fix = FixText.standalone(detach, down: nil, file: file.file, statement: nil, supabaseCLI: analysis.supabaseCLI)
                    + "\nIf it is interrupted, finish it with: ALTER TABLE \(parent) DETACH PARTITION \(name) FINALIZE;"
                return finding("DETACH PARTITION \(name) without CONCURRENTLY takes ACCESS EXCLUSIVE on \(table).",
                               at: statement.location, fix: fix)
            }
        }
    }
}
