/// A large table read mostly by sequential scans.
struct SeqScanHeavyTable: Rule {
    static let description = RuleDescription(
        id: "seq-scan-heavy-table", category: .index, severity: .medium,
        summary: "A table of 10,000+ rows where index scans are under 95 % of all scans (PgHero's missing-index check).",
        finds: "≥ 10,000 rows and index scans under 95 % of all scans",
        why: """
        Each sequential scan of a large table reads all of it: latency grows with the data, and the \
        buffer cache is churned for everyone. A low share of index scans on a big table usually means a \
        frequent query filters on a column without an index. The counters are cumulative since the \
        statistics were last reset; tables never analyzed (unknown row count) are skipped.
        """,
        fix: """
        Find the queries (pg_stat_statements, or EXPLAIN of the service's queries), then add the index in a \
        `-- migrate:up transaction:false` migration: CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_<table>_<columns> ON <table> (<columns>);
        """,
        bad: [.postgres("public.leads: 250,000 rows, 1,200 sequential and 300 index scans") {
            PostgresSnapshot(tables: [Table(name: "leads", rowEstimate: 250_000, seqScan: 1_200, idxScan: 300)])
        }],
        good: [.postgres("public.leads: 250,000 rows, 12 sequential and 90,000 index scans") {
            PostgresSnapshot(tables: [Table(name: "leads", rowEstimate: 250_000, seqScan: 12, idxScan: 90_000)])
        }, .postgres("public.clinics: 40 rows, only sequential scans (small tables are best scanned)") {
            PostgresSnapshot(tables: [Table(name: "clinics", rowEstimate: 40, seqScan: 5_000, idxScan: 0)])
        }, .postgres("public.imports: never analyzed (row count unknown)") {
            PostgresSnapshot(tables: [Table(name: "imports", rowEstimate: -1, seqScan: 50, idxScan: 0)])
        }])

    func check(_ input: AuditInput, _ context: RuleContext) -> [Finding] {
        guard let pg = input.postgres.value else { return [] }
        let thresholds = context.thresholds
        return pg.tables.compactMap { table in
            let scans = table.seqScan + table.idxScan
            guard table.kind == "r", table.rowEstimate >= 0, table.rowEstimate >= thresholds.seqScanMinRows,
                  table.seqScan > 0, scans > 0 else { return nil }
            let share = Double(table.idxScan) * 100 / Double(scans)
            guard share < thresholds.seqScanMinIndexPercent else { return nil }
            let rows = Format.grouped(Int64(table.rowEstimate))
            return finding("\(table.qualifiedName): \(table.seqScan) sequential and \(table.idxScan) index scans over ~\(rows) rows (index scans \(Self.percent(share)) < \(Self.percent(thresholds.seqScanMinIndexPercent)) \(UnusedIndex.statsAge(pg.statsResetAt, now: context.now))).",
                           at: .object(table.qualifiedName))
        }
    }

    static func percent(_ value: Double) -> String {
        value == value.rounded() ? "\(Int(value)) %" : String(format: "%.1f %%", value)
    }
}
