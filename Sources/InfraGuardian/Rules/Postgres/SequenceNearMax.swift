/// A sequence (or the integer column it feeds) close to the largest value it can hand out.
struct SequenceNearMax: Rule {
    static let description = RuleDescription(
        id: "sequence-near-max", category: .schema, severity: .high,
        summary: "A sequence has used more than 90 % (configurable) of its type's or its column's maximum.",
        finds: "a sequence past 90 % of the maximum of its type or of the narrowest column it feeds (a bigint sequence behind an `integer` column counts as integer)",
        why: """
        When a sequence reaches its maximum, or an integer column the largest integer, every INSERT fails \
        ("nextval: reached maximum value" or "integer out of range"): the table stops taking writes at a \
        moment nobody chose. Widening a key on a large table takes days of careful work, so it must start long \
        before the end. The limit is the narrower of the sequence's type and the column's: a bigint sequence \
        behind an integer column fails at 2,147,483,647.
        """,
        fix: """
        When only the sequence is narrow (integer sequence, bigint column): ALTER SEQUENCE s AS bigint; \
        (a catalog change, instant). When the column is integer or smallint: widen it to bigint. Small table: \
        ALTER TABLE t ALTER COLUMN id TYPE bigint; (a rewrite under ACCESS EXCLUSIVE). Large table: add a bigint \
        column kept in sync by a trigger, backfill it in committed batches, CREATE UNIQUE INDEX CONCURRENTLY on \
        it, then swap the primary key (ADD CONSTRAINT ... PRIMARY KEY USING INDEX) and the names in one short \
        transaction with a lock_timeout; widen the referencing foreign-key columns the same way.
        """,
        bad: [.postgres("serial primary key at 95 % of 2,147,483,647") {
                  PostgresSnapshot(maintenance: MaintenanceStats(sequences: [
                      SequenceUsage(name: "leads_id_seq", dataType: "integer", lastValue: 2_040_109_465,
                                    maxValue: 2_147_483_647,
                                    columns: [SequenceColumn(table: "leads", column: "id", type: "integer")])]))
              },
              .postgres("bigint sequence feeding an integer column, at 93 % of the column's maximum") {
                  PostgresSnapshot(maintenance: MaintenanceStats(sequences: [
                      SequenceUsage(name: "events_seq", dataType: "bigint", lastValue: 2_000_000_000,
                                    columns: [SequenceColumn(table: "events", column: "position", type: "integer")])]))
              }],
        good: [.postgres("bigint identity column at 2 billion") {
                   PostgresSnapshot(maintenance: MaintenanceStats(sequences: [
                       SequenceUsage(name: "cases_id_seq", dataType: "bigint", lastValue: 2_000_000_000,
                                     columns: [SequenceColumn(table: "cases", column: "id", type: "bigint")])]))
               },
               .postgres("a cycling sequence (wraps by design) and one never called") {
                   PostgresSnapshot(maintenance: MaintenanceStats(sequences: [
                       SequenceUsage(name: "ticket_seq", dataType: "smallint", lastValue: 32_000, maxValue: 32_767,
                                     cycles: true),
                       SequenceUsage(name: "unused_seq", dataType: "integer", lastValue: nil, maxValue: 2_147_483_647)]))
               }])

    func check(_ input: AuditInput, _ context: RuleContext) -> [Finding] {
        guard let pg = input.postgres.value, let maintenance = pg.maintenance else { return [] }
        let threshold = context.thresholds.sequenceUsagePercent
        return maintenance.sequences.compactMap { sequence in
            guard !sequence.cycles, let capacity = SequenceCapacity(sequence), capacity.usedPercent >= threshold,
                  let last = sequence.lastValue else { return nil }
            let columns = sequence.columns.map { "\($0.qualifiedName) (\($0.type))" }.joined(separator: ", ")
            var message = "Sequence \(sequence.qualifiedName) (\(sequence.dataType)) is at "
                + "\(MaintenanceText.percent(capacity.usedPercent)) of its maximum: \(MaintenanceText.count(last)) "
                + "of \(MaintenanceText.count(capacity.limit))"
            if let column = capacity.limitingColumn {
                message += ", the limit of column \(column.qualifiedName) (\(column.type))"
            }
            message += columns.isEmpty ? "." : "; it feeds \(columns)."
            return finding(message, at: .object(sequence.qualifiedName), fix: fix(sequence))
        }
    }

    private func fix(_ sequence: SequenceUsage) -> String {
        let narrowColumns = sequence.columns.filter { IntegerType.isNarrow($0.type) }
        if let column = narrowColumns.first {
            let sequenceName = IntegerType.isNarrow(sequence.dataType) ? sequence.qualifiedName : nil
            return "Widen \(column.qualifiedName) to bigint before it runs out. "
                + MaintenanceText.widenKeySteps(table: "\(column.schema).\(column.table)", column: column.column,
                                                sequence: sequenceName)
        }
        if IntegerType.isNarrow(sequence.dataType) {
            return "The columns are already wide enough: ALTER SEQUENCE \(sequence.qualifiedName) AS bigint; "
                + "(a catalog change, no rewrite; the default maximum moves to the bigint one)."
        }
        return "A bigint sequence this far along is consumed abnormally: check INCREMENT and CACHE with "
            + "`\\d \(sequence.qualifiedName)`, look for code calling nextval in a loop, and plan new keys (uuid) "
            + "for this table."
    }
}
