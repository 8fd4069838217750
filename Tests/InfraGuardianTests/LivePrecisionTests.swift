import Foundation
import Testing
@testable import InfraGuardian

/// The live audit's scope and severities: managed schemas left out, search_path severities by
/// SECURITY DEFINER, vector columns HIGH only when searched.
@Suite struct LivePrecisionTests {
    static func input(_ snapshot: PostgresSnapshot) -> AuditInput {
        AuditInput(postgres: Collected(target: "postgres://example", value: snapshot))
    }

    // MARK: schemas.exclude

    @Test func managedSchemasAreExcludedByDefault() {
        let schemas = SchemaSettings()
        for name in ["auth", "storage", "realtime", "graphql", "graphql_public", "extensions", "pgsodium", "pgsodium_masks",
                     "vault", "supabase_functions", "supabase_migrations", "supabase_anything", "net", "cron", "pgbouncer",
                     "pg_catalog", "information_schema", "pg_toast"] {
            #expect(schemas.excludes(name), "\(name)")
        }
        for name in ["public", "app", "authz", "my_storage", "supabase"] {
            #expect(!schemas.excludes(name), "\(name)")
        }
        // LIKE patterns: `_` is literal, `*` matches anything.
        #expect(SchemaSettings(exclude: ["supabase_*", "a%b"]).likePatterns == ["supabase\\_%", "a\\%b"])
    }

    @Test func aConfiguredListReplacesTheDefaultUnlessItSaysDefault() throws {
        let replaced = try ConfigurationLoader.parse("schemas:\n  exclude: [archive, tmp_*]\n")
        #expect(replaced.schemas.excludes("archive") && replaced.schemas.excludes("tmp_1"))
        #expect(!replaced.schemas.excludes("auth"), "a list replaces the default")
        let extended = try ConfigurationLoader.parse("schemas:\n  exclude: [default, archive]\n")
        #expect(extended.schemas.excludes("archive") && extended.schemas.excludes("auth") && extended.schemas.excludes("supabase_x"))
        let none = try ConfigurationLoader.parse("schemas:\n  exclude: []\n")
        #expect(!none.schemas.excludes("auth"))
        #expect(throws: ConfigurationError.self) { try ConfigurationLoader.parse("schemas:\n  include: [a]\n") }
        #expect(try ConfigurationLoader.parse("").schemas == SchemaSettings())
    }

    @Test func packRowsInExcludedSchemasAreDropped() throws {
        let definition = PackRuleDefinition(id: "demo", category: .schema, severity: .low, summary: "s", why: "w", fix: "f",
                                            query: "SELECT 1 AS object", message: "{{object}}", source: "demo.yml")
        let rows = [PackResult.Row(object: "auth.users"), PackResult.Row(object: "public.notes"),
                    PackResult.Row(object: "\"Auth\".x"), PackResult.Row(object: "\"supa\"\"base\".y"),
                    PackResult.Row(object: "\"storage\".objects"), PackResult.Row(object: "unqualified")]
        let findings = PackRule(definition).check(PackRule.input("demo", PackResult(rows: rows)), RuleContext())
        #expect(findings.map(\.location.object) == ["public.notes", "\"Auth\".x", "\"supa\"\"base\".y", "unqualified"])
        #expect(PackRule.schema(of: "\"supa\"\"base\".y") == "supa\"base")
    }

    // MARK: function-search-path-mutable

    @Test func searchPathSeverityFollowsSecurityDefiner() throws {
        let snapshot = PostgresSnapshot(functions: [
            DatabaseFunction(name: "grant_role", arguments: "p_user uuid, p_role text", securityDefiner: true),
            DatabaseFunction(schema: "App", name: "touch", language: "sql"),
            DatabaseFunction(name: "archive", kind: "p"),
            DatabaseFunction(name: "pinned", securityDefiner: true, searchPath: "pg_catalog, public"),
            DatabaseFunction(name: "empty_path", securityDefiner: true, searchPath: "\"\""),
            DatabaseFunction(name: "native", arguments: "vector", language: "c"),
            DatabaseFunction(schema: "auth", name: "uid", language: "sql", securityDefiner: true),
        ])
        let findings = FunctionSearchPathMutable().check(Self.input(snapshot), RuleContext())
        #expect(findings.map(\.location.object) == ["public.grant_role(p_user uuid, p_role text)", "App.touch()", "public.archive()"])
        #expect(findings.map(\.severity) == [.high, .low, .low])
        #expect(findings.allSatisfy { $0.category == .security })
        #expect(findings[0].fix == "ALTER FUNCTION public.grant_role(p_user uuid, p_role text) SET search_path = pg_catalog, public;")
        #expect(findings[0].message.hasPrefix("SECURITY DEFINER function public.grant_role(p_user uuid, p_role text) does not pin"))
        #expect(findings[1].fix == "ALTER FUNCTION \"App\".touch() SET search_path = pg_catalog, public;")
        #expect(findings[2].fix == "ALTER PROCEDURE public.archive() SET search_path = pg_catalog, public;")
        #expect(findings[2].message.hasPrefix("Procedure public.archive()"))
        // Configured to audit auth: its function is reported.
        var configuration = Configuration()
        configuration.schemas.exclude = []
        let all = FunctionSearchPathMutable().check(Self.input(snapshot), RuleContext(configuration: configuration))
        #expect(all.contains { $0.location.object == "auth.uid()" && $0.severity == .high })
        #expect(RuleExplanation.text(FunctionSearchPathMutable.description).contains("search_path = ''"))
    }

    @Test func functionsTravelInSnapshotsWithoutBodies() throws {
        let snapshot = PostgresSnapshot(functions: [DatabaseFunction(name: "f", arguments: "a integer", securityDefiner: true)])
        let json = String(decoding: try JSONEncoder().encode(snapshot), as: UTF8.self)
        #expect(json.contains("\"securityDefiner\":true") && !json.contains("prosrc") && !json.contains("body"))
        let old = try JSONDecoder().decode(PostgresSnapshot.self, from: Data(#"""
            {"serverVersion":"15.4","serverVersionNum":150004,"database":"d","currentUser":"u","settings":{},
             "connections":{"total":1,"byState":{}},"extensions":[],"tables":[],"columns":[],"indexes":[],"constraints":[],
             "indexesBeingBuilt":[],"pingMillis":[],"migrationHistory":{},"queryCount":3,"collectedAt":0}
            """#.utf8))
        #expect(old.functions == nil && FunctionSearchPathMutable().check(Self.input(old), RuleContext()).isEmpty)
    }

    // MARK: vector-column-without-index: searched or not

    static func vectors(_ searches: [VectorSearch]?) -> PostgresSnapshot {
        var snapshot = PostgresSnapshot(
            extensions: [Extension(name: "vector", version: "0.8.6")],
            tables: [Table(schema: "app", name: "docs", rowEstimate: 50_000), Table(schema: "app", name: "chunks", rowEstimate: 50_000),
                     Table(schema: "app", name: "archive", rowEstimate: 50_000), Table(name: "archive", rowEstimate: 50_000)],
            columns: [Column(schema: "app", table: "docs", name: "embedding", type: "vector(3)"),
                      Column(schema: "app", table: "chunks", name: "embedding", type: "vector(3)"),
                      Column(schema: "app", table: "chunks", name: "summary_embedding", type: "vector(3)"),
                      Column(schema: "app", table: "archive", name: "embedding", type: "vector(3)"),
                      Column(table: "archive", name: "embedding", type: "vector(3)")])
        if let searches {
            var stats = StatementStats()
            stats.vectorSearches = searches
            snapshot.statementStats = stats
        }
        return snapshot
    }

    static func severities(_ snapshot: PostgresSnapshot, _ configuration: Configuration = Configuration()) -> [String: Severity] {
        Dictionary(uniqueKeysWithValues: VectorColumnWithoutIndex().check(input(snapshot), RuleContext(configuration: configuration))
            .map { ($0.location.object ?? "", $0.severity) })
    }

    static func searches(_ texts: [String]) -> [VectorSearch] {
        texts.compactMap { VectorSearchReader.search($0, calls: 10) }
    }

    @Test func distanceOperatorsAreReadFromNormalizedStatements() throws {
        let search = try #require(VectorSearchReader.search(
            "SELECT d.id FROM app.docs AS d JOIN app.chunks c ON c.doc_id = d.id ORDER BY d.embedding <=> $1 LIMIT $2", calls: 7))
        #expect(search.calls == 7)
        #expect(search.relations == [VectorSearch.Relation(schema: "app", name: "docs", alias: "d"),
                                     VectorSearch.Relation(schema: "app", name: "chunks", alias: "c")])
        #expect(search.operands == [VectorSearch.Operand(qualifier: "d", column: "embedding")])
        for op in ["<->", "<#>", "<=>", "<+>", "<~>", "<%>"] {
            #expect(VectorSearchReader.search("SELECT 1 FROM t WHERE $1 \(op) e < $2", calls: 1)?.operands.map(\.column) == ["e"], "\(op)")
        }
        let cast = try #require(VectorSearchReader.search("SELECT id FROM app.docs ORDER BY embedding::halfvec(3) <-> $1", calls: 1))
        #expect(cast.operands == [VectorSearch.Operand(column: "embedding")])
        let qualified = try #require(VectorSearchReader.search("SELECT id FROM app.docs ORDER BY app.docs.embedding <=> $1", calls: 1))
        #expect(qualified.operands == [VectorSearch.Operand(schema: "app", qualifier: "docs", column: "embedding")])
        // Text only, in a comment or a string, or between two parameters: no column is searched.
        #expect(VectorSearchReader.search("SELECT $1 <=> $2", calls: 1) == nil)
        #expect(VectorSearchReader.search("SELECT '<=>' FROM app.docs -- embedding <=> x", calls: 1) == nil)
        #expect(VectorSearchReader.search("SELECT embedding <=> FROM", calls: 1) == nil)
        // tsquery's <-> is an operator on other columns: read, then not matched to a vector column.
        #expect(VectorSearchReader.search("SELECT 1 FROM app.docs WHERE q <-> $1", calls: 1)?.operands.map(\.column) == ["q"])
    }

    @Test func onlySearchedColumnsAreHigh() {
        let snapshot = Self.vectors(Self.searches([
            "SELECT d.id FROM app.docs d ORDER BY d.embedding <=> $1 LIMIT $2",
            "INSERT INTO app.chunks (embedding, summary_embedding) VALUES ($1, $2)",
            "SELECT id FROM app.chunks WHERE summary_embedding <-> $1 < $2",
        ]))
        let found = Self.severities(snapshot)
        #expect(found["app.docs.embedding"] == .high)
        #expect(found["app.chunks.summary_embedding"] == .high)
        #expect(found["app.chunks.embedding"] == .info, "only written")
        #expect(found["app.archive.embedding"] == .info)
        let message = VectorColumnWithoutIndex().check(Self.input(snapshot), RuleContext())
            .first { $0.location.object == "app.chunks.embedding" }?.message ?? ""
        #expect(message.contains("not seen searched") && message.contains("vector.columns"), "\(message)")
        var hidden = snapshot
        hidden.statementStats?.hiddenStatements = 4
        let hiddenMessage = VectorColumnWithoutIndex().check(Self.input(hidden), RuleContext())
            .first { $0.location.object == "app.chunks.embedding" }?.message ?? ""
        #expect(hiddenMessage.contains("4 statements are hidden from the audit role"), "\(hiddenMessage)")
    }

    @Test func ambiguousReferencesProveNothing() {
        // A bare column with two candidate tables, an alias of a subquery, a table name in two schemas.
        let snapshot = Self.vectors(Self.searches([
            "SELECT 1 FROM app.docs, app.chunks ORDER BY embedding <=> $1",
            "SELECT s.id FROM (SELECT id, embedding FROM app.docs) s ORDER BY s.embedding <=> $1",
            "SELECT id FROM archive ORDER BY embedding <=> $1",
        ]))
        let found = Self.severities(snapshot)
        #expect(found.values.allSatisfy { $0 == .info }, "\(found)")
        // The same bare reference with one candidate resolves.
        let one = Self.severities(Self.vectors(Self.searches(["SELECT 1 FROM app.docs JOIN app.chunks USING (id) ORDER BY summary_embedding <=> $1"])))
        #expect(one["app.chunks.summary_embedding"] == .high && one["app.docs.embedding"] == .info)
        let schemaQualified = Self.severities(Self.vectors(Self.searches(["SELECT id FROM public.archive ORDER BY embedding <=> $1"])))
        #expect(schemaQualified["public.archive.embedding"] == .high && schemaQualified["app.archive.embedding"] == .info)
    }

    @Test func configuredColumnsAreSearched() throws {
        var configuration = try ConfigurationLoader.parse("vector:\n  columns: [app.archive.embedding, chunks.embedding]\n")
        #expect(configuration.vector.columns == ["app.archive.embedding", "chunks.embedding"])
        let found = Self.severities(Self.vectors(nil), configuration)
        #expect(found["app.archive.embedding"] == .high && found["app.chunks.embedding"] == .high)
        #expect(found["public.archive.embedding"] == .info && found["app.docs.embedding"] == .info)
        configuration.vector.columns = []
        let message = VectorColumnWithoutIndex().check(Self.input(Self.vectors(nil)), RuleContext(configuration: configuration))
            .first?.message ?? ""
        #expect(message.contains("pg_stat_statements not read"), "\(message)")
        #expect(throws: ConfigurationError.self) { try ConfigurationLoader.parse("vector:\n  columns: [embedding]\n") }
        #expect(throws: ConfigurationError.self) { try ConfigurationLoader.parse("vector:\n  columns: [a..b]\n") }
    }
}
