/// CREATE INDEX CONCURRENTLY on a partitioned table, which PostgreSQL rejects.
struct ConcurrentIndexOnPartitionedTable: Rule {
    static let description = RuleDescription(
        id: "concurrent-index-on-partitioned-table", category: .migration, severity: .high,
        summary: "CREATE INDEX CONCURRENTLY on a partitioned table fails: PostgreSQL cannot build it concurrently.",
        finds: "`CREATE INDEX CONCURRENTLY` on a table that the migrations created with `PARTITION BY` (as it is at that statement: a rename-and-swap counts)",
        why: """
        PostgreSQL rejects CONCURRENTLY on a partitioned table ("cannot create index on partitioned table … \
        concurrently"), and a plain CREATE INDEX on the parent locks every partition against writes for the whole \
        build. The parent's index is created ON ONLY the parent (instant, INVALID), each partition's index is \
        built concurrently, then attached: the parent's index becomes valid once every partition has one.
        """,
        fix: """
        Create the parent's index ON ONLY, build each partition's concurrently (outside a transaction), then attach it:
          CREATE INDEX IF NOT EXISTS idx_events_lead ON ONLY lead_events (lead_id);
          CREATE INDEX CONCURRENTLY IF NOT EXISTS lead_events_2024_idx_events_lead ON lead_events_2024 (lead_id);
          ALTER INDEX idx_events_lead ATTACH PARTITION lead_events_2024_idx_events_lead;
        """,
        bad: [.migration("-- migrate:up transaction:false\nCREATE TABLE IF NOT EXISTS lead_events (id bigint, lead_id bigint, at date NOT NULL) PARTITION BY RANGE (at);\nCREATE INDEX CONCURRENTLY IF NOT EXISTS idx_events_lead ON lead_events (lead_id);\n-- migrate:down\nSELECT 1;\n",
                         at: .line(3))],
        good: [.migration("-- migrate:up transaction:false\nCREATE TABLE IF NOT EXISTS lead_events (id bigint, lead_id bigint, at date NOT NULL);\nCREATE INDEX CONCURRENTLY IF NOT EXISTS idx_events_lead ON lead_events (lead_id);\n-- migrate:down\nSELECT 1;\n")])

    func check(_ input: AuditInput, _ context: RuleContext) -> [Finding] {
        let analysis = context.migrations(input)
        let positions = analysis.upStatementPositions(kind: .indexStmt).filter { analysis.upStatements[$0].statement.createIndex?.isConcurrent == true }
        guard !positions.isEmpty else { return [] }
        let tables = analysis.shared(TableCreations.self)
        return positions.compactMap { position in
            let statement = analysis.upStatements[position].statement
            guard let table = statement.targetTable, tables.isPartitioned(table, before: position) else { return nil }
            let name = statement.createIndex?.name.map { " \($0)" } ?? ""
            return finding("CREATE INDEX CONCURRENTLY\(name) on \(table), a partitioned table: PostgreSQL rejects it (\"cannot create index on partitioned table concurrently\").",
                           at: statement.location,
                           fix: RequireConcurrentIndex.partitionedFix(statement, table: table, partitions: tables.partitions[table] ?? []))
        }
    }
}
