import Foundation

/// An index no query has used since the statistics were reset.
struct UnusedIndex: Rule {
    static let description = RuleDescription(
        id: "unused-index", category: .unusedIndex, severity: .low,
        summary: "An index with idx_scan = 0 that is not unique, not a key and at least 10 MB (configurable).",
        finds: "`idx_scan = 0` since the statistics were reset, not unique/key/constraint, ≥ 10 MB",
        why: """
        Every index slows down every INSERT and most UPDATEs of its table, takes disk, backup and cache \
        space, and lengthens vacuum. One that no query has scanned since the statistics were last reset \
        costs all that for nothing. Unique and key indexes enforce rules and are never reported; check \
        replicas and rare jobs (monthly reports) before dropping: scans on a standby are not counted here.
        """,
        fix: """
        In a migration with `-- migrate:up transaction:false`: DROP INDEX CONCURRENTLY IF EXISTS <schema>.<index>; \
        (keep its definition in the down section to recreate it CONCURRENTLY).
        """,
        bad: [.postgres("public.leads.idx_leads_utm_campaign: 0 scans, 64 MB") {
            PostgresSnapshot(tables: [Table(name: "leads")],
                             indexes: [Index(table: "leads", name: "idx_leads_utm_campaign", sizeBytes: 64 << 20,
                                             scans: 0, columns: ["utm_campaign"])])
        }],
        good: [.postgres("public.leads.idx_leads_phone_hash: 12,000 scans") {
            PostgresSnapshot(tables: [Table(name: "leads")],
                             indexes: [Index(table: "leads", name: "idx_leads_phone_hash", sizeBytes: 64 << 20,
                                             scans: 12_000, columns: ["phone_hash"])])
        }, .postgres("public.leads.leads_email_key: unique, 0 scans, 64 MB") {
            PostgresSnapshot(tables: [Table(name: "leads")],
                             indexes: [Index(table: "leads", name: "leads_email_key", isUnique: true,
                                             sizeBytes: 64 << 20, scans: 0, columns: ["email"])])
        }, .postgres("public.leads.idx_leads_source: 0 scans, 16 kB (below the 10 MB threshold)") {
            PostgresSnapshot(tables: [Table(name: "leads")],
                             indexes: [Index(table: "leads", name: "idx_leads_source", sizeBytes: 16 << 10,
                                             scans: 0, columns: ["source"])])
        }])

    func check(_ input: AuditInput, _ context: RuleContext) -> [Finding] {
        guard let pg = input.postgres.value else { return [] }
        let since = Self.statsAge(pg.statsResetAt, now: context.now)
        let lookup = CatalogLookup(pg)
        return pg.indexes.compactMap { index in
            guard index.scans == 0, !index.isUnique, !index.isPrimary, index.isValid,
                  index.sizeBytes >= context.thresholds.unusedIndexMinBytes,
                  !lookup.backsConstraint(index),
                  // A partitioned table's index has no scans of its own: its partitions' indexes count them.
                  lookup.table(index.schema, index.table)?.kind != "p" else { return nil }
            let fix = """
                In a migration with `-- migrate:up transaction:false`: \
                DROP INDEX CONCURRENTLY IF EXISTS \(pg.sqlName(index.schema, index.name)); \
                down section: \(IndexDefinition.concurrently(index.definition));
                """
            return finding("Index \(index.qualifiedName) (\(IndexKey.of(index).text), \(Format.bytes(index.sizeBytes))) has not been scanned \(since).",
                           at: .object(index.qualifiedName), fix: fix)
        }
    }

    /// How far back the scan counters go, in words.
    static func statsAge(_ reset: Date?, now: Date) -> String {
        guard let reset else { return "since the statistics were last reset (unknown)" }
        let days = Int(now.timeIntervalSince(reset) / 86_400)
        let age = days >= 1 ? ", \(days) day\(days == 1 ? "" : "s") before the audit" : ", less than a day before the audit"
        return "since the statistics were last reset (\(Format.isoDate(reset))\(age))"
    }
}

/// Rewrites of `pg_get_indexdef` output for the fixes.
enum IndexDefinition {
    /// `CREATE [UNIQUE] INDEX name ON ...` → `CREATE [UNIQUE] INDEX CONCURRENTLY IF NOT EXISTS name ON ...`.
    static func concurrently(_ definition: String) -> String {
        for head in ["CREATE UNIQUE INDEX ", "CREATE INDEX "] where definition.hasPrefix(head) {
            return head + "CONCURRENTLY IF NOT EXISTS " + definition.dropFirst(head.count)
        }
        return definition
    }

    /// The `INCLUDE (...)` clause of a definition, empty when there is none.
    static func includeClause(_ definition: String) -> String {
        guard let start = definition.range(of: " INCLUDE (") else { return "" }
        let rest = definition[start.lowerBound...]
        guard let end = rest.firstIndex(of: ")") else { return String(rest) }
        return String(rest[...end])
    }
}
