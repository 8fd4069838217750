/// A table with no primary key.
struct TableWithoutPrimaryKey: Rule {
    static let description = RuleDescription(
        id: "table-without-primary-key", category: .schema, severity: .medium,
        summary: "A table (or partitioned table) has no primary key.",
        finds: "a table without a primary key (a partitioned table is reported once, not per partition)",
        why: """
        Logical replication cannot publish UPDATEs and DELETEs of a table without a replica identity (the \
        primary key by default), so upgrades and CDC break on it. Without a key, duplicate rows creep in and \
        ORMs, upserts and admin tools cannot address a row. A partitioned table is reported once: its \
        partitions inherit whatever key it has.
        """,
        fix: """
        Add a key without a long lock: CREATE UNIQUE INDEX CONCURRENTLY <table>_pkey ON <table> (<columns>); \
        then ALTER TABLE <table> ADD CONSTRAINT <table>_pkey PRIMARY KEY USING INDEX <table>_pkey; \
        (the columns must already be NOT NULL; on a partitioned table the key must include the partition key). \
        A table with no natural key gets `id bigint GENERATED ALWAYS AS IDENTITY`.
        """,
        bad: [.postgres("public.webhook_log has no primary key") {
            PostgresSnapshot(tables: [Table(name: "webhook_log", rowEstimate: 1_000)])
        }, .postgres("public.events_by_month is partitioned and has no primary key; its partitions have none either") {
            PostgresSnapshot(tables: [Table(name: "events_by_month", kind: "p"),
                                      Table(name: "events_2024_01", partitionOf: "public.events_by_month")])
        }],
        good: [.postgres("public.leads with leads_pkey") {
            PostgresSnapshot(tables: [Table(name: "leads")],
                             constraints: [Constraint(table: "leads", name: "leads_pkey", type: "p", columns: ["id"])])
        }, .postgres("public.events_by_month and its partition both have the key (id, occurred_at)") {
            PostgresSnapshot(tables: [Table(name: "events_by_month", kind: "p"),
                                      Table(name: "events_2024_01", partitionOf: "public.events_by_month")],
                             constraints: [Constraint(table: "events_by_month", name: "events_by_month_pkey", type: "p"),
                                           Constraint(table: "events_2024_01", name: "events_2024_01_pkey", type: "p")])
        }])

    func check(_ input: AuditInput, _ context: RuleContext) -> [Finding] {
        guard let pg = input.postgres.value else { return [] }
        let keyed = Set(pg.constraints.filter { $0.type == "p" }.map { "\($0.schema).\($0.table)" })
        let lookup = CatalogLookup(pg)
        let partitionsOf = Dictionary(grouping: pg.tables.filter { $0.partitionOf != nil }) { $0.partitionOf ?? "" }
        return pg.tables.filter { ["r", "p"].contains($0.kind) && !keyed.contains($0.qualifiedName) }.compactMap { table in
            // A partition without a key under a keyless parent is part of the parent's finding.
            if lookup.partitionedParent(of: table).map({ !keyed.contains($0.qualifiedName) }) == true { return nil }
            guard table.kind == "p" else {
                let key = quoteIdentifier(String((table.name + "_pkey").prefix(63)))
                let fix = """
                    Add a key without a long lock, the index first (outside a transaction), then the constraint on it:
                      CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS \(key) ON \(table.qualifiedName) (<its key columns>);
                      ALTER TABLE \(table.qualifiedName) ADD CONSTRAINT \(key) PRIMARY KEY USING INDEX \(key);
                    The key columns must already be NOT NULL. With no natural key, add
                    `id bigint GENERATED ALWAYS AS IDENTITY` (this rewrites \(table.qualifiedName): schedule it).
                    """
                return finding("\(table.qualifiedName) has no primary key.", at: .object(table.qualifiedName), fix: fix)
            }
            let partitions = partitionsOf[table.qualifiedName] ?? []
            let keyless = partitions.filter { !keyed.contains($0.qualifiedName) }
            // Every partition keyed on its own: replication and row addressing work per partition.
            if !partitions.isEmpty && keyless.isEmpty { return nil }
            let detail = partitions.isEmpty ? "no partitions yet"
                : "\(keyless.count) of \(partitions.count) partition\(partitions.count == 1 ? "" : "s") without one either"
            return finding("Partitioned table \(table.qualifiedName) has no primary key (\(detail)).",
                           at: .object(table.qualifiedName))
        }
    }
}
