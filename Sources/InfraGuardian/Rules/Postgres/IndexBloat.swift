/// A B-tree index whose estimated bloat is both large and a large share of its size.
struct IndexBloat: Rule {
    static let description = RuleDescription(
        id: "index-bloat", category: .bloat, severity: .medium,
        summary: "Estimated B-tree index bloat above 50 % of the index and above 100 MB (configurable).",
        finds: "estimated B-tree index bloat ≥ 50 % and ≥ 100 MB (fix: `REINDEX INDEX CONCURRENTLY`)",
        why: """
        B-tree pages emptied by deletes and updates are only partly reused: after churn an index can be several \
        times the size its entries need. Every index scan walks more pages and the index crowds useful data out \
        of the cache. The figure is a statistical estimate from pg_stats (the method of ioguix/PgHero); B-tree \
        deduplication makes it err low, never high.
        """,
        fix: """
        REINDEX INDEX CONCURRENTLY schema.index_name; (PostgreSQL 12+, outside a transaction block: it builds a \
        new copy beside the old one and swaps them without blocking writes). If it fails it leaves an invalid \
        index named *_ccnew: DROP INDEX CONCURRENTLY it and retry. Never plain REINDEX on a live table: it blocks \
        writes for the whole build.
        """,
        bad: [.postgres("public.leads.idx_leads_phone: 1.2 GB of which ~900 MB bloat") {
            PostgresSnapshot(maintenance: MaintenanceStats(indexBloat: [
                BloatEstimate(table: "leads", index: "idx_leads_phone", sizeBytes: 1_200 * 1_048_576,
                              bloatBytes: 900 * 1_048_576)]))
        }],
        good: [.postgres("public.leads.idx_leads_phone: 1.2 GB of which ~200 MB bloat (17 %)") {
            PostgresSnapshot(maintenance: MaintenanceStats(indexBloat: [
                BloatEstimate(table: "leads", index: "idx_leads_phone", sizeBytes: 1_200 * 1_048_576,
                              bloatBytes: 200 * 1_048_576)]))
        }])

    func check(_ input: AuditInput, _ context: RuleContext) -> [Finding] {
        guard let pg = input.postgres.value, let maintenance = pg.maintenance else { return [] }
        return BloatCheck.over(maintenance.indexBloat, context.thresholds).map { estimate in
            let index = "\(estimate.schema).\(estimate.index ?? "")"
            return finding(BloatCheck.message(estimate, kind: "Index", context.thresholds),
                           at: .object(estimate.qualifiedName),
                           fix: "REINDEX INDEX CONCURRENTLY \(index); (outside a transaction block; if it fails, "
                               + "DROP INDEX CONCURRENTLY the leftover *_ccnew index and retry).")
        }
    }
}
