/// A btree index whose columns lead another btree index of the same table.
struct RedundantIndex: Rule {
    static let description = RuleDescription(
        id: "redundant-index", category: .redundantIndex, severity: .low,
        summary: "A btree index's columns are a strict leading prefix of another btree index with the same predicate.",
        finds: "a btree whose key is a strict leading prefix of another btree with the same predicate",
        why: """
        A btree on (a, b) answers every lookup a btree on (a) answers, almost as fast; the shorter index only \
        adds write cost and cache pressure. Unique and key indexes are never reported (they enforce a rule), \
        nor are indexes with INCLUDE columns (they serve index-only scans the longer one may not).
        """,
        fix: "In a migration with `-- migrate:up transaction:false`: DROP INDEX CONCURRENTLY IF EXISTS <schema>.<redundant>;",
        bad: [.postgres("idx_cases_patient_id (patient_id) next to idx_cases_patient_id_opened_at (patient_id, opened_at)") {
            PostgresSnapshot(tables: [Table(name: "cases")],
                             indexes: [Index(table: "cases", name: "idx_cases_patient_id", columns: ["patient_id"],
                                             operatorClasses: ["uuid_ops"]),
                                       Index(table: "cases", name: "idx_cases_patient_id_opened_at",
                                             columns: ["patient_id", "opened_at"], operatorClasses: ["uuid_ops", "timestamptz_ops"])])
        }],
        good: [.postgres("cases_pkey (id) next to idx_cases_id_status (id, status): the key stays") {
            PostgresSnapshot(tables: [Table(name: "cases")],
                             indexes: [Index(table: "cases", name: "cases_pkey", isUnique: true, isPrimary: true,
                                             columns: ["id"], operatorClasses: ["uuid_ops"]),
                                       Index(table: "cases", name: "idx_cases_id_status", columns: ["id", "status"],
                                             operatorClasses: ["uuid_ops", "text_ops"])])
        }, .postgres("idx_cases_status (status) next to a partial idx_cases_status_opened (status, opened_at) WHERE closed_at IS NULL") {
            PostgresSnapshot(tables: [Table(name: "cases")],
                             indexes: [Index(table: "cases", name: "idx_cases_status", columns: ["status"],
                                             operatorClasses: ["text_ops"]),
                                       Index(table: "cases", name: "idx_cases_status_opened", columns: ["status", "opened_at"],
                                             operatorClasses: ["text_ops", "timestamptz_ops"], predicate: "(closed_at IS NULL)")])
        }])

    func check(_ input: AuditInput, _ context: RuleContext) -> [Finding] {
        guard let pg = input.postgres.value else { return [] }
        return IndexOverlap(pg).redundant.map { pair in
            finding("Index \(pair.extra.qualifiedName) (\(IndexKey.of(pair.extra).text)) is covered by \(pair.kept.name) (\(IndexKey.of(pair.kept).text)).",
                    at: .object(pair.extra.qualifiedName), fix: pair.dropFix(pg))
        }
    }
}
