import Foundation
import Testing
@testable import InfraGuardian

/// One part that waits on a lock or times out loses only that part; the audit's own statements never
/// show up as slow queries.
@Suite(.integration) struct PartialCollectionTests {
    @Test(arguments: [TestServers.Server.pg15, .pg18])
    func aTableLockedByAnotherSessionLosesOnlyItsOwnPart(_ server: TestServers.Server) throws {
        let database = try ScratchDatabase(on: server)
        try database.execute("""
            CREATE TABLE visits (id bigint, patient text, CHECK (id > 0));
            CREATE INDEX visits_patient_idx ON visits (lower(patient)) WHERE id > 1;
            CREATE TABLE leads (id bigint, email text);
            CREATE TABLE clinics (id bigint PRIMARY KEY, name text);
            """)
        // A migration's transaction: ACCESS EXCLUSIVE on visits, held until this session ends.
        let migration = try AdminConnection(database.url)
        try migration.execute("BEGIN; LOCK TABLE visits IN ACCESS EXCLUSIVE MODE;")
        var configuration = Configuration()
        configuration.postgres.lockTimeoutMillis = 300
        let clock = ContinuousClock()
        let start = clock.now
        let input = Auditor.collect(AuditRequest(databaseURL: database.url, migrationFolders: [], environment: [:],
                                                 deadline: Deadline(seconds: 20)),
                                    configuration: configuration)
        let elapsed = clock.now - start
        #expect(elapsed < .seconds(20), "took \(elapsed)")
        let snapshot = try #require(input.postgres.value, "collection failed: \(input.postgres.error ?? "?")")
        #expect(snapshot.queryCount == 3)
        // The other tables are read and audited; the locked one is left out, not guessed.
        #expect(Set(snapshot.tables.map(\.qualifiedName)) == ["public.clinics", "public.leads"])
        #expect(!snapshot.indexes.contains { $0.table == "visits" })
        let missing = try #require(snapshot.missingParts?.first { $0.part.contains("public.visits") })
        #expect(missing.reason == "lock held by another session on public.visits (AccessExclusiveLock)")
        #expect(snapshot.maintenance?.unavailable == nil)
        #expect(snapshot.pingMillis.count == configuration.postgres.pingSamples)

        let report = ReportBuilder().build(input, configuration: configuration)
        let findings = report.issues.map(\.finding)
        #expect(findings.contains { $0.ruleID == "table-without-primary-key" && $0.message.contains("public.leads") })
        #expect(!findings.contains { $0.ruleID == "table-without-primary-key" && $0.message.contains("public.visits") })
        let incomplete = try #require(findings.first { $0.ruleID == "postgres-incomplete" })
        #expect(incomplete.message.contains("public.visits") && incomplete.message.contains("AccessExclusiveLock"))
        // A lock is about the server's state: no URL, password or connection advice in its text.
        for text in [incomplete.message, incomplete.fix] {
            #expect(!text.contains("postgres://") && !text.lowercased().contains("password") && !text.contains("credentials"))
        }
        #expect(!report.gate.passed)
        #expect(report.gate.reasons.contains { $0.hasPrefix("audit incomplete") && $0.contains("public.visits") })
        withExtendedLifetime(migration) {}
    }

    /// The usual real case: a migration's ALTER waits for its ACCESS EXCLUSIVE lock behind a reader,
    /// and every new AccessShare request would queue behind it. The waiting request is in pg_locks too.
    @Test func aTableAMigrationIsWaitingToLockIsLeftOutToo() throws {
        let database = try ScratchDatabase(on: .pg15)
        try database.execute("CREATE TABLE visits (id bigint PRIMARY KEY); CREATE TABLE leads (id bigint PRIMARY KEY);")
        let reader = try AdminConnection(database.url)
        try reader.execute("BEGIN; SELECT count(*) FROM visits;")
        let url = database.url
        let migrationDone = DispatchSemaphore(value: 0)
        Thread {
            if let migration = try? AdminConnection(url) {
                try? migration.execute("BEGIN; SET lock_timeout = '15s'; LOCK TABLE visits IN ACCESS EXCLUSIVE MODE; ROLLBACK;")
            }
            migrationDone.signal()
        }.start()
        let observer = try AdminConnection(database.url)
        var waiting = false
        for _ in 0..<400 where !waiting {
            waiting = try observer.value("SELECT count(*) FROM pg_locks WHERE mode = 'AccessExclusiveLock' AND NOT granted "
                                         + "AND relation = 'visits'::regclass") == "1"
            if !waiting { usleep(10_000) }
        }
        #expect(waiting, "the migration's lock request never showed up in pg_locks")
        var settings = PostgresSettings()
        settings.lockTimeoutMillis = 300
        let collected = PostgresCollector.collect(conninfo: database.url, settings: settings, deadline: Deadline(seconds: 10))
        let snapshot = try #require(collected.value, "collection failed: \(collected.error ?? "?")")
        #expect(snapshot.tables.map(\.qualifiedName) == ["public.leads"])
        #expect(snapshot.missingParts?.contains { $0.reason == "lock requested by another session on public.visits (AccessExclusiveLock, waiting: a read would queue behind it)" } == true)
        #expect(snapshot.queryCount == 3)
        try reader.execute("ROLLBACK")
        #expect(migrationDone.wait(timeout: .now() + 20) == .success)
    }

    @Test func theAuditsOwnStatementsAreNeverSlowQueries() throws {
        let database = try ScratchDatabase(on: .pg15, extensions: ["pg_stat_statements"])
        try database.execute("CREATE TABLE leads (id bigint PRIMARY KEY, email text)")
        let admin = try AdminConnection(database.url)
        // This database's entries only (the extension's own install scripts are in there too).
        _ = try admin.rows("SELECT pg_stat_statements_reset(0, (SELECT oid FROM pg_database WHERE datname = current_database()), 0)")
        // Audits running side by side: their catalog queries land in pg_stat_statements.
        for _ in 0..<3 {
            #expect(PostgresCollector.collect(conninfo: database.url, settings: PostgresSettings()).error == nil)
        }
        let ownCallsText = try admin.value("""
            SELECT coalesce(sum(calls), 0) FROM pg_stat_statements
            WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
              AND query LIKE '%\(CatalogQuery.marker)%other_locks%'
            """)
        let ownCalls = try #require(ownCallsText)
        #expect((Int(ownCalls) ?? 0) >= 3, "the catalog query, with its marker, is in pg_stat_statements")
        for _ in 0..<3 { _ = try admin.rows("SELECT count(*), pg_sleep(0.02) FROM leads WHERE email LIKE 'zz%'") }

        var configuration = Configuration()
        configuration.thresholds.slowQueryMeanMillis = 0.000_001
        configuration.thresholds.slowQueryMinCalls = 1
        let collected = PostgresCollector.collect(conninfo: database.url, settings: PostgresSettings(),
                                                  measurements: MeasurementPlan(configuration))
        let input = AuditInput(postgres: collected)
        let slow = Evaluator().evaluate(input, configuration: configuration).filter { $0.ruleID == "slow-query" }
        // With thresholds this low every statement is slow: the test's own query is, the audit's are not.
        #expect(slow.contains { $0.message.contains("FROM leads") })
        let audit = slow.filter { ["other_locks", "user_rel", "to_jsonb(p)", "table_widths", "has_table_privilege"].contains(where: $0.message.contains) }
        #expect(audit.isEmpty, "\(audit.map(\.message))")
    }
}
