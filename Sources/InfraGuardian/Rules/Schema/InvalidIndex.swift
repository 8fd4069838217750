/// An index left invalid, typically by a failed `CREATE INDEX CONCURRENTLY`.
struct InvalidIndex: Rule {
    static let description = RuleDescription(
        id: "invalid-index", category: .invalidIndex, severity: .high,
        summary: "An index is marked invalid (indisvalid = false) and no build of it is in progress.",
        finds: "an invalid index (failed `CREATE INDEX CONCURRENTLY`) that is not being built right now",
        why: """
        A failed or cancelled CREATE INDEX CONCURRENTLY (a duplicate value under UNIQUE, a timeout, a \
        deadlock) leaves its index behind, invalid: queries never use it, yet every write still maintains \
        it, and a unique one still rejects writes. `IF NOT EXISTS` then skips it, so re-running the \
        migration silently "succeeds". Indexes still being built (pg_stat_progress_create_index) are \
        skipped; pgvector indexes are reported by vector-index-invalid.
        """,
        fix: """
        In a migration with `-- migrate:up transaction:false`: DROP INDEX CONCURRENTLY IF EXISTS <index>; \
        then CREATE INDEX CONCURRENTLY ... again (for a UNIQUE index, remove the duplicate rows first). \
        For a partitioned table's index: create the missing partition indexes and ALTER INDEX ... ATTACH PARTITION.
        """,
        bad: [.postgres("public.leads.idx_leads_phone_hash: invalid after a failed CREATE UNIQUE INDEX CONCURRENTLY") {
            PostgresSnapshot(tables: [Table(name: "leads")],
                             indexes: [Index(table: "leads", name: "idx_leads_phone_hash",
                                             definition: "CREATE UNIQUE INDEX idx_leads_phone_hash ON public.leads USING btree (phone_hash)",
                                             isUnique: true, isValid: false, isReady: false, columns: ["phone_hash"])])
        }],
        good: [.postgres("public.leads.idx_leads_phone_hash: invalid while its concurrent build runs") {
            PostgresSnapshot(tables: [Table(name: "leads")],
                             indexes: [Index(table: "leads", name: "idx_leads_phone_hash", isValid: false,
                                             isReady: false, columns: ["phone_hash"])],
                             indexesBeingBuilt: ["public.leads.idx_leads_phone_hash"])
        }, .postgres("public.leads.idx_leads_phone_hash: valid") {
            PostgresSnapshot(tables: [Table(name: "leads")],
                             indexes: [Index(table: "leads", name: "idx_leads_phone_hash", columns: ["phone_hash"])])
        }])

    func check(_ input: AuditInput, _ context: RuleContext) -> [Finding] {
        guard let pg = input.postgres.value else { return [] }
        return pg.indexes.filter { !$0.isValid && !VectorIndex.isVectorMethod($0.method) && !pg.isBeingBuilt($0) }.map { index in
            if pg.table(index.schema, index.table)?.kind == "p" {
                return finding("Index \(index.qualifiedName) (\(IndexKey.of(index).text)) on a partitioned table is invalid: some partition has no attached index.",
                               at: .object(index.qualifiedName),
                               fix: "Create the index on each partition missing it (CONCURRENTLY), then ALTER INDEX \(pg.sqlName(index.schema, index.name)) ATTACH PARTITION <partition index>;")
            }
            return finding("Index \(index.qualifiedName) (\(IndexKey.of(index).text)) is invalid (\(index.isReady ? "left by a build that failed while validating" : "left by a failed or cancelled build")): queries cannot use it but writes still maintain it.",
                           at: .object(index.qualifiedName), fix: Self.rebuildFix(index, pg))
        }
    }

    /// Drop and re-create concurrently, from the server's own definition of the index.
    static func rebuildFix(_ index: Index, _ pg: PostgresSnapshot) -> String {
        var fix = """
            In a migration with `-- migrate:up transaction:false`: \
            DROP INDEX CONCURRENTLY IF EXISTS \(pg.sqlName(index.schema, index.name)); \
            \(IndexDefinition.concurrently(index.definition));
            """
        if index.isUnique { fix += " Remove the duplicate rows first if the unique build failed on them." }
        return fix
    }
}
