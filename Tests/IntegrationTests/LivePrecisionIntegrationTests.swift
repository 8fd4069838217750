import Foundation
import Testing
@testable import InfraGuardian

/// Issue 11, live precision, on the real PostgreSQL 18 with pgvector and pg_stat_statements: a vector
/// column searched is HIGH, one only written is INFO; functions without a pinned search_path are HIGH
/// when SECURITY DEFINER, LOW otherwise; Supabase-managed schemas and extensions' objects are left out.
@Suite(.integration) struct LivePrecisionIntegrationTests {
    static let fixture = """
        CREATE SCHEMA lp;
        CREATE TABLE lp.docs (id bigint PRIMARY KEY, embedding vector(3) NOT NULL);
        CREATE TABLE lp.chunks (id bigint PRIMARY KEY, embedding vector(3) NOT NULL);
        INSERT INTO lp.docs SELECT g, ARRAY[g, g + 1, g + 2]::real[]::vector FROM generate_series(1, 20000) g;
        INSERT INTO lp.chunks SELECT g, ARRAY[g, 1, 1]::real[]::vector FROM generate_series(1, 20000) g;
        ANALYZE lp.docs;
        ANALYZE lp.chunks;
        CREATE FUNCTION lp.grant_it(p_user uuid, p_role text) RETURNS void LANGUAGE sql SECURITY DEFINER AS 'SELECT NULL';
        CREATE FUNCTION lp.touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
        CREATE FUNCTION lp.pinned() RETURNS int LANGUAGE sql SECURITY DEFINER SET search_path = '' AS 'SELECT 1';
        CREATE PROCEDURE lp.archive(n integer) LANGUAGE sql AS 'SELECT 1';
        -- What Supabase manages: never the team's to fix.
        CREATE SCHEMA auth;
        CREATE TABLE auth.users (id uuid, email text);
        CREATE FUNCTION auth.uid() RETURNS uuid LANGUAGE sql SECURITY DEFINER AS 'SELECT NULL::uuid';
        CREATE SCHEMA supabase_functions;
        CREATE FUNCTION supabase_functions.http_request() RETURNS int LANGUAGE sql AS 'SELECT 1';
        """

    static func prepare() throws -> ScratchDatabase {
        let database = try ScratchDatabase(on: .pg18, extensions: ["vector", "pg_stat_statements"])
        try database.execute(fixture)
        // One session per statement, so pg_stat_statements records each on its own.
        for _ in 0..<3 {
            try database.execute("SELECT d.id FROM lp.docs d ORDER BY d.embedding <=> '[1,2,3]' LIMIT 5")
            try database.execute("INSERT INTO lp.chunks (id, embedding) VALUES (100000 + (random() * 1000000)::int, '[1,2,3]') ON CONFLICT DO NOTHING")
        }
        return database
    }

    static func audit(_ url: String, _ configuration: Configuration = Configuration()) throws -> (PostgresSnapshot, [Finding]) {
        let collected = PostgresCollector.collect(conninfo: url, settings: PostgresSettings(), schemas: configuration.schemas)
        let snapshot = try #require(collected.value, "collection failed: \(collected.error ?? "")")
        let input = AuditInput(postgres: collected, collectedAt: snapshot.collectedAt)
        return (snapshot, Evaluator().evaluate(input, configuration: configuration))
    }

    @Test func searchedVectorColumnIsHighAndAWrittenOneIsInfo() throws {
        let database = try Self.prepare()
        let (snapshot, findings) = try Self.audit(database.url)
        #expect(snapshot.queryCount == 3, "catalog (functions included) + history + maintenance")
        let vector = Dictionary(uniqueKeysWithValues: findings.filter { $0.ruleID == "vector-column-without-index" }
            .map { ($0.location.object ?? "", $0) })
        #expect(Set(vector.keys) == ["lp.docs.embedding", "lp.chunks.embedding"])
        #expect(vector["lp.docs.embedding"]?.severity == .high, "\(vector["lp.docs.embedding"]?.message ?? "")")
        #expect(vector["lp.docs.embedding"]?.message.contains("searched in pg_stat_statements") == true)
        #expect(vector["lp.chunks.embedding"]?.severity == .info)
        #expect(vector["lp.chunks.embedding"]?.message.contains("not seen searched") == true)

        // Named in vector.columns, the written column counts as searched too.
        var configuration = Configuration()
        configuration.vector.columns = ["lp.chunks.embedding"]
        let named = try Self.audit(database.url, configuration).1
        #expect(named.first { $0.ruleID == "vector-column-without-index" && $0.location.object == "lp.chunks.embedding" }?.severity == .high)
    }

    @Test func searchPathSeverityAndManagedSchemas() throws {
        let database = try Self.prepare()
        let (snapshot, findings) = try Self.audit(database.url)
        let functions = findings.filter { $0.ruleID == "function-search-path-mutable" }
        #expect(Set(functions.map { "\($0.location.object ?? "") \($0.severity.rawValue)" })
            == ["lp.grant_it(p_user uuid, p_role text) HIGH", "lp.touch() LOW", "lp.archive(IN n integer) LOW"],
            "\(functions.map(\.message))")
        #expect(functions.first { $0.severity == .high }?.fix
            == "ALTER FUNCTION lp.grant_it(p_user uuid, p_role text) SET search_path = pg_catalog, public;")
        // pgvector's own functions belong to the extension (pg_depend 'e'); auth and supabase_* are Supabase's.
        #expect(!(snapshot.functions ?? []).contains { ["auth", "supabase_functions", "public"].contains($0.schema) })
        #expect(!snapshot.tables.contains { $0.schema == "auth" })
        #expect(!findings.contains { $0.location.object?.hasPrefix("auth.") == true })
        #expect(snapshot.excludedSchemas?.contains("auth") == true)

        // An empty exclude list audits them (extension-owned functions stay out).
        var configuration = Configuration()
        configuration.schemas.exclude = []
        let (all, allFindings) = try Self.audit(database.url, configuration)
        #expect(all.tables.contains { $0.qualifiedName == "auth.users" })
        #expect(allFindings.contains { $0.ruleID == "function-search-path-mutable" && $0.location.object == "auth.uid()" && $0.severity == .high })
        #expect(allFindings.contains { $0.ruleID == "table-without-primary-key" && $0.location.object == "auth.users" })
        #expect(!(all.functions ?? []).contains { $0.name == "vector_in" || $0.name == "cosine_distance" })
        #expect(all.queryCount == 3)
    }
}
