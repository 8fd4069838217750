/// The database's oldest unfrozen transaction ID (or multixact) is getting close to wraparound.
struct TransactionIDWraparound: Rule {
    /// From this age the finding is CRITICAL: at about 2.1 billion PostgreSQL refuses new transactions.
    static let criticalAge: Int64 = 1_500_000_000

    static let description = RuleDescription(
        id: "transaction-id-wraparound", category: .schema, severity: .high,
        summary: "Transaction-ID (or multixact) age above 500 M (configurable); CRITICAL above 1.5 billion.",
        finds: "transaction-ID or multixact age of the database above 500 M; CRITICAL above 1.5 B; names the oldest tables and what holds the xmin horizon (sessions, replication slots, prepared transactions)",
        why: """
        Transaction IDs are 32-bit. VACUUM must freeze every row before its ID is about 2 billion transactions \
        old; when it cannot keep up, PostgreSQL first warns, then stops assigning IDs and the whole database \
        becomes read-only until a long single-user VACUUM completes. Autovacuum starts aggressive anti-wraparound \
        vacuums at autovacuum_freeze_max_age (200 M): an age far beyond it means those vacuums are not finishing, \
        usually because something holds the xmin horizon back.
        """,
        fix: """
        Find what holds the horizon back and release it: long transactions and idle-in-transaction sessions \
        (pg_stat_activity.backend_xmin), replication slots with an old xmin (pg_replication_slots; drop the \
        abandoned ones), forgotten prepared transactions (pg_prepared_xacts: COMMIT/ROLLBACK PREPARED). Then \
        VACUUM (FREEZE, VERBOSE) the oldest tables, outside a transaction and in off-peak hours; raise \
        autovacuum_max_workers or autovacuum_vacuum_cost_limit if autovacuum cannot keep up.
        """,
        bad: [.postgres("database age 620,000,000, oldest table public.events") {
                  PostgresSnapshot(maintenance: MaintenanceStats(transactionIDs: TransactionIDStats(
                      databaseAge: 620_000_000, oldestTables: [TableXIDAge(table: "events", age: 620_000_000)],
                      replicationSlots: [ReplicationSlotAge(name: "old_replica", active: false, xminAge: 610_000_000)])))
              },
              .postgres("database age 1,700,000,000 (CRITICAL)") {
                  PostgresSnapshot(maintenance: MaintenanceStats(transactionIDs: TransactionIDStats(
                      databaseAge: 1_700_000_000)))
              }],
        good: [.postgres("database age 150,000,000 (below autovacuum_freeze_max_age)") {
                   PostgresSnapshot(maintenance: MaintenanceStats(transactionIDs: TransactionIDStats(
                       databaseAge: 150_000_000, databaseMultixactAge: 20_000_000)))
               }])

    func check(_ input: AuditInput, _ context: RuleContext) -> [Finding] {
        guard let pg = input.postgres.value, let ids = pg.maintenance?.transactionIDs else { return [] }
        let threshold = context.thresholds.transactionIDAge
        var findings: [Finding] = []
        for (kind, age, freezeMax) in [("Transaction-ID", ids.databaseAge, ids.freezeMaxAge),
                                       ("Multixact", ids.databaseMultixactAge, ids.multixactFreezeMaxAge)]
        where age >= threshold {
            var message = "\(kind) age of database \(pg.database) is \(MaintenanceText.count(age)) "
                + "(threshold \(MaintenanceText.count(threshold)), autovacuum freeze max age \(MaintenanceText.count(freezeMax)); "
                + "wraparound stops writes near 2,100,000,000)."
            if kind == "Transaction-ID" {
                let oldest = ids.oldestTables.prefix(3).map { "\($0.schema).\($0.table) (\(MaintenanceText.count($0.age)))" }
                if !oldest.isEmpty { message += " Oldest tables: \(oldest.joined(separator: ", "))." }
            }
            let holders = horizonHolders(ids, minimumAge: threshold / 2)
            if !holders.isEmpty { message += " Holding the horizon back: \(holders.joined(separator: "; "))." }
            var item = finding(message, at: .object(pg.database))
            if age >= Self.criticalAge { item.severity = .critical }
            findings.append(item)
        }
        return findings
    }

    /// Sessions, slots and prepared transactions old enough to explain the age.
    private func horizonHolders(_ ids: TransactionIDStats, minimumAge: Int64) -> [String] {
        var holders: [String] = []
        if let age = ids.oldestSessionXminAge, age >= minimumAge {
            holders.append("a session with xmin age \(MaintenanceText.count(age))")
        }
        for slot in ids.replicationSlots {
            let age = max(slot.xminAge ?? 0, slot.catalogXminAge ?? 0)
            if age >= minimumAge {
                holders.append("replication slot `\(slot.name)` (\(slot.active ? "active" : "inactive"), xmin age \(MaintenanceText.count(age)))")
            }
        }
        if ids.preparedTransactions > 0, let age = ids.oldestPreparedAge, age >= minimumAge {
            holders.append("\(ids.preparedTransactions) prepared transaction(s), oldest age \(MaintenanceText.count(age))")
        }
        return holders
    }
}
