import Foundation
import Testing
@testable import InfraGuardian

/// The maintenance facts and their rules against real servers: each test builds the condition in a
/// scratch database (or a held-open session) and checks that the collected snapshot raises the rule.
@Suite(.integration) struct PostgresMaintenanceTests {
    static let servers: [TestServers.Server] = [.pg15, .pg18]
    static let maintenanceRules: [any Rule] = [
        SequenceNearMax(), Int4PrimaryKey(), TransactionIDWraparound(), DeadTuplesHigh(), AutovacuumLagging(),
        TableBloat(), IndexBloat(), IdleInTransaction(), LongRunningQuery(),
    ]

    private func collect(_ url: String) throws -> PostgresSnapshot {
        let collected = PostgresCollector.collect(conninfo: url, settings: PostgresSettings())
        let snapshot = try #require(collected.value, "collection failed: \(collected.error ?? "no error")")
        #expect(snapshot.maintenance?.unavailable == nil)
        return snapshot
    }

    private func findings(_ snapshot: PostgresSnapshot, _ configuration: Configuration = Configuration()) -> [Finding] {
        let input = AuditInput(postgres: Collected(target: "postgres://test", value: snapshot),
                               collectedAt: snapshot.collectedAt)
        return Evaluator(rules: Self.maintenanceRules).evaluate(input, configuration: configuration)
    }

    /// The scratch database's URL with an application_name, to find our own sessions among others.
    private func url(_ base: String, application: String) throws -> String {
        var components = try #require(URLComponents(string: base))
        components.queryItems = (components.queryItems ?? []) + [URLQueryItem(name: "application_name", value: application)]
        return try #require(components.string)
    }

    @Test(arguments: servers) func collectsTransactionIDAges(_ server: TestServers.Server) throws {
        let database = try ScratchDatabase(on: server)
        let snapshot = try collect(database.url)
        let ids = try #require(snapshot.maintenance?.transactionIDs)
        #expect(ids.databaseAge > 0)
        #expect(ids.freezeMaxAge == 200_000_000)
        #expect(ids.multixactFreezeMaxAge == 400_000_000)
        #expect(!ids.oldestTables.isEmpty && ids.oldestTables.count <= 10)
        #expect(findings(snapshot).isEmpty)
        // With a threshold below the real age, the rule fires and names the oldest tables.
        var configuration = Configuration()
        configuration.thresholds.transactionIDAge = 1
        let raised = findings(snapshot, configuration).filter { $0.ruleID == "transaction-id-wraparound" }
        let xid = try #require(raised.first { $0.message.hasPrefix("Transaction-ID age") })
        #expect(xid.message.contains("Oldest tables:"))
        #expect(xid.severity == .high)
    }

    @Test(arguments: servers) func sequencesNearTheirMaximumAreFound(_ server: TestServers.Server) throws {
        let database = try ScratchDatabase(on: server)
        try database.execute("""
            CREATE SEQUENCE app_ticket_seq AS smallint;
            SELECT setval('app_ticket_seq', 32000);
            CREATE TABLE counters (id serial PRIMARY KEY, label text);
            SELECT setval('counters_id_seq', 2040109465);
            CREATE SEQUENCE shared_seq;
            CREATE TABLE legacy (id integer PRIMARY KEY DEFAULT nextval('shared_seq'));
            SELECT setval('shared_seq', 2100000000);
            CREATE TABLE cases (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY);
            SELECT setval(pg_get_serial_sequence('cases', 'id'), 2040109465);
            """)
        let snapshot = try collect(database.url)
        let sequences = Dictionary(uniqueKeysWithValues: (snapshot.maintenance?.sequences ?? []).map { ($0.name, $0) })
        #expect(sequences["counters_id_seq"]?.dataType == "integer")
        #expect(sequences["counters_id_seq"]?.lastValue == 2_040_109_465)
        #expect(sequences["counters_id_seq"]?.columns == [SequenceColumn(table: "counters", column: "id", type: "integer")])
        #expect(sequences["shared_seq"]?.columns == [SequenceColumn(table: "legacy", column: "id", type: "integer")])
        #expect(sequences["cases_id_seq"]?.maxValue == Int64.max)

        let raised = findings(snapshot).filter { $0.ruleID == "sequence-near-max" }
        #expect(Set(raised.compactMap(\.location.object)) == ["public.app_ticket_seq", "public.counters_id_seq",
                                                                 "public.shared_seq"])
        let shared = try #require(raised.first { $0.location.object == "public.shared_seq" })
        #expect(shared.message.contains("the limit of column public.legacy.id (integer)"))
        #expect(shared.fix.contains("ALTER TABLE public.legacy ADD COLUMN id_new bigint"))
        // The near-max keys are sequence-near-max's; int4-primary-key stays quiet on these small tables.
        #expect(!findings(snapshot).contains { $0.ruleID == "int4-primary-key" })
    }

    @Test(arguments: servers) func deadTuplesAreFound(_ server: TestServers.Server) throws {
        let database = try ScratchDatabase(on: server)
        // One session, so pg_stat_force_next_flush publishes its counters before the script returns.
        try database.execute("""
            CREATE TABLE churn (id bigint PRIMARY KEY, payload text) WITH (autovacuum_enabled = off);
            INSERT INTO churn SELECT g, md5(g::text) FROM generate_series(1, 20000) g;
            DELETE FROM churn WHERE id > 5000;
            SELECT pg_stat_force_next_flush();
            """)
        let snapshot = try collect(database.url)
        let table = try #require(snapshot.tables.first { $0.name == "churn" })
        #expect(table.deadTuples == 15_000)
        #expect(snapshot.maintenance?.table("public", "churn")?.autovacuumDisabled == true)

        let raised = findings(snapshot)
        let dead = try #require(raised.first { $0.ruleID == "dead-tuples-high" })
        #expect(dead.location.object == "public.churn")
        #expect(dead.message.contains("15,000 dead rows"))
        #expect(dead.message.contains("autovacuum_enabled=off"))
        #expect(dead.fix.contains("autovacuum_enabled = on"))
        let lagging = try #require(raised.first { $0.ruleID == "autovacuum-lagging" })
        #expect(lagging.message.contains("last vacuum: never"))
    }

    @Test(arguments: servers) func bloatIsEstimatedFromStatistics(_ server: TestServers.Server) throws {
        let database = try ScratchDatabase(on: server)
        try database.execute("""
            CREATE TABLE swollen (id bigint PRIMARY KEY, code text);
            INSERT INTO swollen SELECT g, md5(g::text) FROM generate_series(1, 100000) g;
            CREATE INDEX swollen_code_idx ON swollen (code);
            DELETE FROM swollen WHERE id % 10 <> 0;
            """)
        try database.execute("VACUUM ANALYZE swollen")
        let snapshot = try collect(database.url)
        let maintenance = try #require(snapshot.maintenance)
        let table = try #require(maintenance.tableBloat.first { $0.table == "swollen" })
        #expect(table.percent > 70)
        let index = try #require(maintenance.indexBloat.first { $0.index == "swollen_code_idx" })
        #expect(index.percent > 70)
        #expect(findings(snapshot).filter { $0.ruleID.hasSuffix("-bloat") }.isEmpty, "below 100 MB by default")

        var configuration = Configuration()
        configuration.thresholds.bloatMinBytes = 1024 * 1024
        let raised = findings(snapshot, configuration)
        #expect(raised.contains { $0.ruleID == "table-bloat" && $0.location.object == "public.swollen" })
        let reindex = try #require(raised.first { $0.ruleID == "index-bloat" && $0.location.object == "public.swollen.swollen_code_idx" })
        #expect(reindex.fix.contains("REINDEX INDEX CONCURRENTLY public.swollen_code_idx"))
    }

    @Test(arguments: servers) func idleInTransactionSessionsAreFound(_ server: TestServers.Server) throws {
        let database = try ScratchDatabase(on: server)
        let application = "ig-idle-" + UUID().uuidString.prefix(8).lowercased()
        let holder = try AdminConnection(try url(database.url, application: application))
        try holder.execute("BEGIN; SELECT 1;")
        defer { try? holder.execute("ROLLBACK") }
        Thread.sleep(forTimeInterval: 1)

        let snapshot = try collect(database.url)
        let session = try #require(snapshot.maintenance?.idleInTransaction.first { $0.application == application })
        #expect(session.state == "idle in transaction")
        #expect(session.stateSeconds >= 0.5)
        #expect(!findings(snapshot).contains { $0.ruleID == "idle-in-transaction" }, "60 s by default")

        var configuration = Configuration()
        configuration.thresholds.idleInTransactionSeconds = 0.5
        let raised = try #require(findings(snapshot, configuration).first { $0.ruleID == "idle-in-transaction" })
        #expect(raised.message.contains("application `\(application)`"))
        #expect(raised.message.contains("pid \(session.pid)"))
        #expect(raised.severity == .high)
    }

    @Test(arguments: servers) func longRunningQueriesAreFoundWithoutTheirText(_ server: TestServers.Server) throws {
        let database = try ScratchDatabase(on: server)
        let application = "ig-long-" + UUID().uuidString.prefix(8).lowercased()
        let sleeperURL = try url(database.url, application: application)
        let done = DispatchSemaphore(value: 0)
        Thread {
            _ = try? AdminConnection(sleeperURL).execute("SELECT pg_sleep(3), 'PATIENT-MARKER-123'")
            done.signal()
        }.start()
        defer { _ = done.wait(timeout: .now() + 30) }

        // Poll until the statement has run for a second (the machine may be slow to start the thread).
        var found: (PostgresSnapshot, SessionActivity)?
        for _ in 0..<40 where found == nil {
            let snapshot = try collect(database.url)
            if let session = snapshot.maintenance?.longRunning.first(where: { $0.application == application }),
               session.stateSeconds >= 1 {
                found = (snapshot, session)
            } else {
                Thread.sleep(forTimeInterval: 0.1)
            }
        }
        let (snapshot, session) = try #require(found, "the pg_sleep session never showed as active for 1 s")
        #expect(session.state == "active")
        #expect(session.waitEventType == "Timeout")

        var configuration = Configuration()
        configuration.thresholds.longRunningQuerySeconds = 1
        let raised = try #require(findings(snapshot, configuration).first { $0.ruleID == "long-running-query" })
        #expect(raised.message.contains("application `\(application)`"))
        #expect(raised.severity == .medium)

        let json = String(decoding: try JSONEncoder().encode(snapshot), as: UTF8.self)
        #expect(json.contains(application))
        #expect(!json.contains("PATIENT-MARKER-123"))
        #expect(!json.contains("pg_sleep"))
        #expect(!findings(snapshot, configuration).contains { $0.message.contains("PATIENT-MARKER-123") })
    }

    @Test func theReferenceSchemaRaisesNoMaintenanceRule() throws {
        let database = try ScratchDatabase(on: .pg18, extensions: ["vector"])
        try CommandLineRunner.applyMigrations(url: database.url, folder: CommandLineRunner.repositoryRoot + "/db/migrations")
        let snapshot = try collect(database.url)
        #expect(!(snapshot.maintenance?.tables.isEmpty ?? true))
        let raised = findings(snapshot)
        #expect(raised.isEmpty, "\(raised.map { "\($0.ruleID): \($0.message)" })")
    }
}
