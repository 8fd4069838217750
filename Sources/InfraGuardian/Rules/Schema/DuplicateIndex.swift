/// Two indexes of one table with the same definition.
struct DuplicateIndex: Rule {
    static let description = RuleDescription(
        id: "duplicate-index", category: .redundantIndex, severity: .medium,
        summary: "Two indexes of a table have the same method, key, operator classes and predicate.",
        finds: "same method, key, operator classes, predicate and INCLUDE as another index of the table",
        why: """
        The planner uses one of them; the other is pure write amplification, disk and cache. It usually comes \
        from a migration that re-created an index under a new name, or an index added next to a UNIQUE \
        constraint that already has one. The key or constraint index is kept, never reported.
        """,
        fix: "In a migration with `-- migrate:up transaction:false`: DROP INDEX CONCURRENTLY IF EXISTS <schema>.<duplicate>;",
        bad: [.postgres("idx_leads_email and leads_email_key (UNIQUE constraint) both on public.leads (email)") {
            PostgresSnapshot(tables: [Table(name: "leads")],
                             indexes: [Index(table: "leads", name: "idx_leads_email",
                                             definition: "CREATE INDEX idx_leads_email ON public.leads USING btree (email)",
                                             columns: ["email"], operatorClasses: ["text_ops"]),
                                       Index(table: "leads", name: "leads_email_key", isUnique: true,
                                             columns: ["email"], operatorClasses: ["text_ops"])],
                             constraints: [Constraint(table: "leads", name: "leads_email_key", type: "u", columns: ["email"])])
        }],
        good: [.postgres("idx_consents_patient_id_purpose and a partial unique index on the same columns WHERE revoked_at IS NULL") {
            PostgresSnapshot(tables: [Table(name: "consents")],
                             indexes: [Index(table: "consents", name: "idx_consents_patient_id_purpose",
                                             columns: ["patient_id", "purpose"], operatorClasses: ["uuid_ops", "text_ops"]),
                                       Index(table: "consents", name: "uq_consents_active_patient_purpose", isUnique: true,
                                             columns: ["patient_id", "purpose"], operatorClasses: ["uuid_ops", "text_ops"],
                                             predicate: "(revoked_at IS NULL)")])
        }])

    func check(_ input: AuditInput, _ context: RuleContext) -> [Finding] {
        guard let pg = input.postgres.value else { return [] }
        return IndexOverlap(pg).duplicates.map { pair in
            finding("Index \(pair.extra.qualifiedName) (\(IndexKey.of(pair.extra).text)) duplicates \(pair.kept.name) (\(IndexKey.of(pair.kept).text)).",
                    at: .object(pair.extra.qualifiedName), fix: pair.dropFix(pg))
        }
    }
}
