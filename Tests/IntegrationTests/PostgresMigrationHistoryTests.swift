import Foundation
import Testing
@testable import InfraGuardian

/// Serialized because these tests create the migration tables the tools share by name; each also uses
/// its own scratch database, so suites running in parallel never see them.
@Suite(.integration, .serialized) struct PostgresMigrationHistoryTests {
    @Test func noHistoryTablesMeansUnknown() throws {
        let database = try ScratchDatabase(on: .pg15)
        let snapshot = try #require(PostgresCollector.collect(conninfo: database.url, settings: PostgresSettings()).value)
        #expect(snapshot.migrationHistory == MigrationHistory())
        #expect(snapshot.queryCount == 3)
    }

    @Test func readsDbmateVersions() throws {
        let database = try ScratchDatabase(on: .pg15)
        try database.execute("""
            CREATE TABLE public.schema_migrations (version varchar(128) PRIMARY KEY);
            INSERT INTO public.schema_migrations VALUES ('20240102000000'), ('20240101000000');
            """)
        let snapshot = try #require(PostgresCollector.collect(conninfo: database.url, settings: PostgresSettings()).value)
        #expect(snapshot.migrationHistory.dbmate == [AppliedMigration(version: "20240101000000"),
                                                     AppliedMigration(version: "20240102000000")])
        #expect(snapshot.migrationHistory.supabase == nil)
        #expect(snapshot.queryCount == 3)
    }

    @Test func readsSupabaseVersionsAndNames() throws {
        let database = try ScratchDatabase(on: .pg18)
        try database.execute("""
            CREATE SCHEMA supabase_migrations;
            CREATE TABLE supabase_migrations.schema_migrations (version text PRIMARY KEY, statements text[], name text);
            INSERT INTO supabase_migrations.schema_migrations (version, name) VALUES ('20240101000000', 'init');
            CREATE TABLE public.schema_migrations (version varchar(128) PRIMARY KEY);
            """)
        let snapshot = try #require(PostgresCollector.collect(conninfo: database.url, settings: PostgresSettings()).value)
        #expect(snapshot.migrationHistory.supabase == [AppliedMigration(version: "20240101000000", name: "init")])
        #expect(snapshot.migrationHistory.dbmate == [])
    }

    @Test func readsOlderSupabaseTablesWithoutNames() throws {
        let database = try ScratchDatabase(on: .pg15)
        try database.execute("""
            CREATE SCHEMA supabase_migrations;
            CREATE TABLE supabase_migrations.schema_migrations (version text PRIMARY KEY);
            INSERT INTO supabase_migrations.schema_migrations VALUES ('20230101000000');
            """)
        let snapshot = try #require(PostgresCollector.collect(conninfo: database.url, settings: PostgresSettings()).value)
        #expect(snapshot.migrationHistory.supabase == [AppliedMigration(version: "20230101000000")])
        #expect(snapshot.migrationHistory.dbmate == nil)
    }
}
