import Foundation
import Testing
@testable import InfraGuardian

/// What the rule examples do not pin down: parsing, exact SQL, severities that vary, the pgvector line.
@Suite struct SchemaAndVectorRuleTests {
    @Test func vectorColumnTypes() {
        func parse(_ type: String) -> VectorColumn? { VectorColumn(Column(table: "t", name: "e", type: type)) }
        #expect(parse("vector(1536)")?.dimensions == 1536)
        #expect(parse("extensions.vector(768)")?.dimensions == 768)
        #expect(parse("halfvec(4000)")?.indexDimensionLimit == 4_000)
        #expect(parse("vector")?.dimensions == nil)
        #expect(parse("vector") != nil)
        #expect(parse("vector(3)[]") == nil)
        #expect(parse("sparsevec(100)") == nil)
        #expect(parse("text") == nil)
    }

    @Test func operatorClassesMapToDistances() {
        #expect(VectorIndex.distance(ofOperatorClass: "vector_cosine_ops") == .cosine)
        #expect(VectorIndex.distance(ofOperatorClass: "halfvec_l2_ops") == .l2)
        #expect(VectorIndex.distance(ofOperatorClass: "vector_ip_ops") == .innerProduct)
        #expect(VectorIndex.distance(ofOperatorClass: "bit_hamming_ops") == nil)
        #expect(VectorIndex.operatorClass(.cosine, baseType: "halfvec") == "halfvec_cosine_ops")
        let expression = Index(table: "t", name: "i", method: "hnsw", columns: ["((embedding)::halfvec(3072))"])
        #expect(VectorIndex.covers(expression, Column(table: "t", name: "embedding", type: "vector(3072)")))
        #expect(!VectorIndex.covers(expression, Column(table: "t", name: "embed", type: "vector(3072)")))
    }

    @Test func fixesCarryExactSQL() {
        #expect(IndexDefinition.concurrently("CREATE UNIQUE INDEX a ON public.t USING btree (x)")
            == "CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS a ON public.t USING btree (x)")
        #expect(IndexDefinition.includeClause("CREATE INDEX a ON public.t USING btree (x) INCLUDE (y, z) WHERE (x > 0)") == " INCLUDE (y, z)")
        #expect(SQLName.quote("leads") == "leads")
        #expect(SQLName.quote("Leads") == "\"Leads\"")
        #expect(SQLName.quote("order") == "\"order\"")
        #expect(Format.grouped(12_000) == "12,000")
        #expect(Format.grouped(999) == "999")
    }

    @Test func statsAgeIsSaid() {
        let reset = Date(timeIntervalSince1970: 1_700_000_000)
        #expect(UnusedIndex.statsAge(reset, now: reset.addingTimeInterval(12 * 86_400))
            == "since the statistics were last reset (2023-11-14, 12 days before the audit)")
        #expect(UnusedIndex.statsAge(nil, now: reset) == "since the statistics were last reset (unknown)")
    }

    @Test func pgvectorVersionSeverities() {
        let rule = PgvectorExtensionOutdated()
        func severity(_ version: String) -> Severity? {
            rule.check(AuditInput(postgres: Collected(target: "x", value: VectorExamples.embeddings(version: version))),
                       RuleContext()).first?.severity
        }
        #expect(severity("0.4.4") == .medium)
        #expect(severity("0.7.4") == .info)
        #expect(severity("0.8.0") == nil)
        #expect(severity("0.10.0") == nil)
    }

    @Test func vectorColumnSeverityFollowsTheTableSize() {
        let rule = VectorColumnWithoutIndex()
        let searched = [VectorExamples.cosineSearch()]
        let big = rule.check(AuditInput(postgres: Collected(target: "x", value: VectorExamples.embeddings(rows: 50_000, searches: searched))), RuleContext())
        let small = rule.check(AuditInput(postgres: Collected(target: "x", value: VectorExamples.embeddings(rows: 200, searches: searched))), RuleContext())
        #expect(big.map(\.severity) == [.high])
        #expect(small.map(\.severity) == [.medium])
        // Not seen searched: INFO whatever the size.
        let unsearched = rule.check(AuditInput(postgres: Collected(target: "x", value: VectorExamples.embeddings(rows: 50_000, searches: []))), RuleContext())
        #expect(unsearched.map(\.severity) == [.info])
    }

    private func pgvectorLine(_ snapshot: PostgresSnapshot) -> ComponentHealth {
        HealthEvaluator.pgvector(Collected(target: "x", value: snapshot), VectorSettings())
    }

    @Test func pgvectorLineReadsLikeTheSeed() {
        var snapshot = VectorExamples.embeddings(indexes: [VectorExamples.hnsw()])
        #expect(pgvectorLine(snapshot).state == .healthy)
        #expect(pgvectorLine(snapshot).details
            == "v0.8.6, HNSW index healthy (embeddings.embedding, m=16, ef_construction=64, 12MB, hnsw.ef_search=40)")
        snapshot.settings["hnsw.ef_search"] = "100"
        #expect(pgvectorLine(snapshot).details.hasSuffix("hnsw.ef_search=100)"))
        var defaults = VectorExamples.hnsw()
        defaults.options = []
        #expect(pgvectorLine(VectorExamples.embeddings(indexes: [defaults])).details.contains("m=16, ef_construction=64"))
    }

    @Test func pgvectorLineNamesTheProblem() {
        let mismatch = pgvectorLine(VectorExamples.embeddings(indexes: [VectorExamples.hnsw("vector_l2_ops")]))
        #expect(mismatch.state == .degraded)
        #expect(mismatch.details == "v0.8.6, idx_embeddings_embedding_hnsw uses vector_l2_ops but queries use <=> (cosine)")
        let missing = pgvectorLine(VectorExamples.embeddings(searches: [VectorExamples.cosineSearch()]))
        #expect(missing.state == .degraded)
        #expect(missing.details == "v0.8.6, embeddings.embedding has no HNSW/IVFFlat index")
        // Only written, never searched: nothing scans, the line stays healthy and says so.
        let unsearched = pgvectorLine(VectorExamples.embeddings(searches: []))
        #expect(unsearched.state == .healthy)
        #expect(unsearched.details == "v0.8.6, embeddings.embedding not indexed, not seen searched")
        let invalid = pgvectorLine(VectorExamples.embeddings(indexes: [VectorExamples.hnsw(valid: false)]))
        #expect(invalid.state == .unhealthy)
        #expect(invalid.details.contains("invalid index: HNSW embeddings.idx_embeddings_embedding_hnsw"))
        let building = pgvectorLine(VectorExamples.embeddings(indexes: [VectorExamples.hnsw(valid: false)],
                                                              building: ["public.embeddings.idx_embeddings_embedding_hnsw"]))
        #expect(building.state == .degraded)
        #expect(building.details.contains("is being built"))
    }
}
