import Foundation
import Testing
@testable import InfraGuardian

@Suite(.integration) struct PostgresCollectorTests {
    static let settings = PostgresSettings()

    private func collect(_ url: String) throws -> PostgresSnapshot {
        let collected = PostgresCollector.collect(conninfo: url, settings: Self.settings)
        #expect(collected.error == nil)
        return try #require(collected.value, "collection failed: \(collected.error ?? "no error")")
    }

    @Test func collectsFromPostgres15() throws {
        let snapshot = try collect(try TestServers.url(.pg15))
        #expect(snapshot.majorVersion == 15)
        #expect((snapshot.maxConnections ?? 0) > 0)
        let extensions = Set(snapshot.extensions.map(\.name))
        #expect(extensions.isSuperset(of: ["plpgsql", "pg_stat_statements", "hypopg"]))
        // The session's own startup options (read-only, timeouts, application_name) are not the
        // server's configuration and must not be reported as such; PostgresConnectionTests checks them.
        #expect(snapshot.settings["default_transaction_read_only"] == nil)
        #expect(snapshot.settings["statement_timeout"] == nil)
        #expect(snapshot.settings["application_name"] == nil)
        #expect(snapshot.settings["shared_preload_libraries"]?.contains("pg_stat_statements") == true)
        #expect(snapshot.connections.total >= 1)
        #expect((snapshot.connections.byState["active"] ?? 0) >= 1)
        #expect(snapshot.pingMillis.count == Self.settings.pingSamples)
        #expect(snapshot.pingMillis.allSatisfy { $0 > 0 })
        #expect(snapshot.queryCount == 3)
    }

    @Test func collectsFromPostgres18WithPgvector() throws {
        let snapshot = try collect(try TestServers.url(.pg18))
        #expect(snapshot.majorVersion == 18)
        #expect((snapshot.maxConnections ?? 0) > 0)
        #expect(snapshot.extensions.contains { $0.name == "plpgsql" })
        #expect(snapshot.extensionVersion("vector") != nil)
        #expect(snapshot.queryCount == 3)
    }

    @Test func collectsAsAnOrdinaryRoleWithAPassword() throws {
        let url = try TestServers.url(.pg15Password)
        let collected = PostgresCollector.collect(conninfo: url, settings: Self.settings)
        #expect(collected.error == nil)
        #expect(collected.value?.currentUser == "ig_password")
        #expect(collected.target?.contains("secret-pw") == false)
        #expect(collected.target?.contains("ig_password:***@") == true)
    }

    @Test func readsTablesColumnsIndexesAndConstraints() throws {
        let database = try ScratchDatabase(on: .pg18, extensions: ["vector"])
        try database.execute(PostgresFixtures.clinicAndLeads(schema: "app"))
        let snapshot = try collect(database.url)

        let leads = try #require(snapshot.tables.first { $0.qualifiedName == "app.leads" })
        #expect(leads.kind == "r")
        #expect(snapshot.tables.contains { $0.qualifiedName == "app.clinics" })

        let columns = Dictionary(uniqueKeysWithValues: snapshot.columns.filter { $0.table == "leads" }.map { ($0.name, $0) })
        #expect(columns.keys.sorted() == ["clinic_id", "created_at", "email", "embedding", "id", "phone_hash", "score"])
        #expect(columns["id"]?.identity == "d")
        #expect(columns["id"]?.position == 1)
        #expect(columns["clinic_id"]?.notNull == true)
        #expect(columns["embedding"]?.type == "vector(3)")
        #expect(columns["created_at"]?.type == "timestamp with time zone")
        #expect(columns["created_at"]?.defaultExpression == "now()")
        #expect(columns["score"]?.generated == "s")
        #expect(snapshot.columns.first { $0.table == "clinics" && $0.name == "id" }?.identity == "a")

        let indexes = Dictionary(uniqueKeysWithValues: snapshot.indexes.filter { $0.table == "leads" }.map { ($0.name, $0) })
        let hnsw = try #require(indexes["idx_leads_embedding"])
        #expect(hnsw.method == "hnsw")
        #expect(hnsw.columns == ["embedding"])
        #expect(hnsw.operatorClasses == ["vector_cosine_ops"])
        #expect(hnsw.options == ["m=16", "ef_construction=64"])
        #expect(hnsw.definition.contains("USING hnsw (embedding vector_cosine_ops)"))
        let phone = try #require(indexes["idx_leads_phone"])
        #expect(phone.predicate == "(phone_hash IS NOT NULL)")
        #expect(phone.columns == ["clinic_id", "phone_hash"])
        #expect(phone.operatorClasses == ["int8_ops", "text_ops"])
        #expect(phone.isValid && phone.isReady && !phone.isUnique)
        #expect(indexes["idx_leads_lower_email"]?.columns == ["lower(email)"])
        #expect(indexes["leads_pkey"]?.isPrimary == true)
        #expect(indexes["leads_email_key"]?.isUnique == true)

        let constraints = Dictionary(uniqueKeysWithValues: snapshot.constraints.filter { $0.table == "leads" }.map { ($0.name, $0) })
        #expect(constraints.count == 4)
        let foreignKey = try #require(constraints["leads_clinic_id_fkey"])
        #expect(foreignKey.type == "f")
        #expect(foreignKey.columns == ["clinic_id"])
        #expect(foreignKey.referencedTable == "app.clinics")
        // Deparsed only for CHECK and EXCLUDE (no rule reads a key's text; 40,000 keys cost a second).
        #expect(foreignKey.definition == "")
        #expect(constraints["leads_score_check"]?.definition.hasPrefix("CHECK (") == true)
        #expect(constraints["leads_email_key"]?.type == "u")
        #expect(constraints["leads_email_key"]?.columns == ["email"])
        #expect(constraints["leads_pkey"]?.type == "p")
        #expect(constraints["leads_score_check"]?.isValidated == false)
    }

    @Test func sendsTheSameNumberOfQueriesWhateverTheSchemaSize() throws {
        let database = try ScratchDatabase(on: .pg15)
        let empty = try collect(database.url)
        #expect(empty.tables.isEmpty)

        try database.execute(PostgresFixtures.manyTables(count: 50, schema: "bulk"))
        let large = try collect(database.url)
        #expect(large.tables.filter { $0.schema == "bulk" }.count == 50)
        #expect(large.indexes.filter { $0.schema == "bulk" }.count == 100)
        #expect(large.maintenance?.unavailable == nil)
        #expect(large.maintenance?.tables.filter { $0.schema == "bulk" }.count == 50)
        #expect(large.queryCount == empty.queryCount)
        #expect(large.queryCount == 3)
    }
}

/// Fixture schemas, created through `AdminConnection` in a scratch database.
enum PostgresFixtures {
    static func clinicAndLeads(schema: String) -> String {
        """
        CREATE SCHEMA \(schema);
        CREATE TABLE \(schema).clinics (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name text NOT NULL);
        CREATE TABLE \(schema).leads (
            id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
            clinic_id bigint NOT NULL REFERENCES \(schema).clinics (id),
            phone_hash text,
            email text,
            embedding vector(3),
            created_at timestamptz NOT NULL DEFAULT now(),
            score int GENERATED ALWAYS AS (length(email)) STORED,
            CONSTRAINT leads_email_key UNIQUE (email));
        ALTER TABLE \(schema).leads ADD CONSTRAINT leads_score_check CHECK (score > 0) NOT VALID;
        CREATE INDEX idx_leads_phone ON \(schema).leads (clinic_id, phone_hash) WHERE phone_hash IS NOT NULL;
        CREATE INDEX idx_leads_lower_email ON \(schema).leads (lower(email));
        CREATE INDEX idx_leads_embedding ON \(schema).leads
            USING hnsw (embedding vector_cosine_ops) WITH (m = 16, ef_construction = 64);
        """
    }

    /// `count` tables, each with a primary key and a secondary index.
    static func manyTables(count: Int, schema: String) -> String {
        "CREATE SCHEMA \(schema);\n" + (1...count).map { n in
            """
            CREATE TABLE \(schema).t\(n) (id bigint PRIMARY KEY, label text, created_at timestamptz DEFAULT now());
            CREATE INDEX t\(n)_label_idx ON \(schema).t\(n) (label);
            """
        }.joined(separator: "\n")
    }
}
