/// An integer or smallint primary key on a table big or busy enough that it will need bigint.
struct Int4PrimaryKey: Rule {
    /// Rows from which an integer key is worth widening while it is still cheap.
    static let minimumRows: Double = 1_000_000
    /// Share of the key type's maximum already handed out by its sequence (or reached by the row count).
    static let minimumUsagePercent: Double = 50

    static let description = RuleDescription(
        id: "int4-primary-key", category: .schema, severity: .low,
        summary: "A single-column integer/smallint primary key on a table with over 1 M rows, or past 50 % of its type.",
        finds: "an `integer`/`smallint` single-column primary key on a table of over 1 M rows, or already past 50 % of its type (early warning; not repeated when `sequence-near-max` fires)",
        why: """
        An integer key ends at 2,147,483,647 (smallint at 32,767), and sequences also burn values on rolled-back \
        inserts and on cache. Widening it later means rewriting the table and every referencing foreign key; on a \
        table of a million rows that is still minutes, on a billion it is a project. Only large or well-advanced \
        keys are reported, and not those sequence-near-max already reports.
        """,
        fix: """
        Plan the move to bigint now. Small table: ALTER TABLE t ALTER COLUMN id TYPE bigint; ALTER SEQUENCE \
        t_id_seq AS bigint; in a maintenance window. Large table: new bigint column synced by a trigger, batched \
        backfill, CREATE UNIQUE INDEX CONCURRENTLY, then swap the primary key with ADD CONSTRAINT ... PRIMARY KEY \
        USING INDEX in one short transaction. New tables: bigint GENERATED ALWAYS AS IDENTITY.
        """,
        bad: [.postgres("integer primary key on a 3,000,000-row table") {
                  PostgresSnapshot(tables: [Table(name: "audit_logs", rowEstimate: 3_000_000)],
                                   columns: [Column(table: "audit_logs", name: "id", type: "integer")],
                                   constraints: [Constraint(table: "audit_logs", name: "audit_logs_pkey", type: "p",
                                                            columns: ["id"])])
              },
              .postgres("serial key whose sequence is at 60 % on a small, churning table") {
                  PostgresSnapshot(tables: [Table(name: "jobs", rowEstimate: 5_000)],
                                   columns: [Column(table: "jobs", name: "id", type: "integer")],
                                   constraints: [Constraint(table: "jobs", name: "jobs_pkey", type: "p", columns: ["id"])],
                                   maintenance: MaintenanceStats(sequences: [
                                       SequenceUsage(name: "jobs_id_seq", dataType: "integer", lastValue: 1_300_000_000,
                                                     maxValue: 2_147_483_647,
                                                     columns: [SequenceColumn(table: "jobs", column: "id", type: "integer")])]))
              }],
        good: [.postgres("integer primary key on a 40,000-row lookup table") {
                   PostgresSnapshot(tables: [Table(name: "clinics", rowEstimate: 40_000)],
                                    columns: [Column(table: "clinics", name: "id", type: "integer")],
                                    constraints: [Constraint(table: "clinics", name: "clinics_pkey", type: "p",
                                                             columns: ["id"])])
               },
               .postgres("bigint identity primary key on a 3,000,000-row table") {
                   PostgresSnapshot(tables: [Table(name: "audit_logs", rowEstimate: 3_000_000)],
                                    columns: [Column(table: "audit_logs", name: "id", type: "bigint", identity: "a")],
                                    constraints: [Constraint(table: "audit_logs", name: "audit_logs_pkey", type: "p",
                                                             columns: ["id"])])
               }])

    func check(_ input: AuditInput, _ context: RuleContext) -> [Finding] {
        guard let pg = input.postgres.value else { return [] }
        let columns = ColumnLookup(pg)
        return pg.constraints.compactMap { key in
            guard key.type == "p", key.columns.count == 1, let name = key.columns.first,
                  let column = columns.column(key.schema, key.table, name),
                  IntegerType.isNarrow(column.type), let typeMax = IntegerType.maximum(column.type) else { return nil }
            let table = pg.tables.first { $0.schema == key.schema && $0.name == key.table }
            let rows = max(table?.rowEstimate ?? 0, Double(table?.liveTuples ?? 0))
            let sequences = pg.sequences(feeding: key.schema, key.table, name)
            let usage = sequences.compactMap { SequenceCapacity($0)?.usedPercent }.max()
            // sequence-near-max owns the urgent case; this rule is the early warning.
            if let usage, usage >= context.thresholds.sequenceUsagePercent { return nil }
            let rowShare = rows * 100 / Double(typeMax)
            guard rows >= Self.minimumRows || rowShare >= Self.minimumUsagePercent
                    || (usage ?? 0) >= Self.minimumUsagePercent else { return nil }
            var facts = ["about \(MaintenanceText.count(Int64(rows))) rows"]
            if let usage { facts.append("its sequence at \(MaintenanceText.percent(usage)) of \(MaintenanceText.count(typeMax))") }
            let qualified = "\(key.schema).\(key.table).\(name)"
            return finding("Primary key \(qualified) is \(column.type) (\(facts.joined(separator: ", "))): plan bigint while it is cheap.",
                           at: .object(qualified),
                           fix: MaintenanceText.widenKeySteps(table: "\(key.schema).\(key.table)", column: name,
                                                              sequence: sequences.first.map(\.qualifiedName)))
        }
    }
}
