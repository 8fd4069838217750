import Foundation
import Testing
@testable import InfraGuardian

/// Decoding of the catalog JSON, including what live servers rarely produce on demand (NULL
/// statistics, vacuum times, a relation dropped mid-read). Needs no server.
@Suite struct PostgresCatalogDecodingTests {
    @Test func decodesNullsEpochsAndBigints() throws {
        let json = """
        {"serverVersion": "15.4 (Debian 15.4-1)", "serverVersionNum": 150004, "database": "d", "currentUser": "u",
         "settings": null, "connections": {"active": 2, "idle in transaction": 1}, "extensions": null,
         "tables": [{"schema": "s", "name": "t", "kind": "p", "rowEstimate": 1e+06, "sizeBytes": 9007199254740993,
                     "seqScan": null, "idxScan": null, "liveTuples": null, "deadTuples": null,
                     "lastVacuum": 1700000000.5, "lastAutovacuum": null, "lastAnalyze": null, "lastAutoanalyze": 0}],
         "columns": [{"schema": "s", "name": "c", "table": "t", "position": 1, "type": "integer", "notNull": true,
                      "defaultExpression": null, "identity": "", "generated": ""}],
         "indexes": [{"schema": "s", "table": "t", "name": "gone", "definition": null, "method": "btree",
                      "isUnique": false, "isPrimary": false, "isValid": true, "isReady": true, "sizeBytes": null,
                      "scans": null, "columns": [null], "operatorClasses": null, "predicate": null, "options": null}],
         "constraints": null,
         "migrationTables": {"dbmate": true, "supabase": false, "supabaseName": false}}
        """
        let rows = try JSONDecoder().decode(CatalogRows.self, from: Data(json.utf8))
        let snapshot = rows.snapshot(collectedAt: Date(timeIntervalSince1970: 0))
        #expect(snapshot.shortVersion == "15.4")
        #expect(snapshot.connections == ConnectionStats(total: 3, byState: ["active": 2, "idle in transaction": 1]))
        let table = try #require(snapshot.tables.first)
        #expect(table.sizeBytes == 9_007_199_254_740_993)
        #expect(table.rowEstimate == 1_000_000)
        #expect(table.lastVacuum == Date(timeIntervalSince1970: 1_700_000_000.5))
        #expect(table.lastAnalyze == nil)
        #expect(table.lastAutoanalyze == Date(timeIntervalSince1970: 0))
        #expect(snapshot.indexes.first?.definition == "")
        #expect(snapshot.indexes.first?.columns == [""])
        #expect(snapshot.settings.isEmpty && snapshot.extensions.isEmpty && snapshot.constraints.isEmpty)
        #expect(CatalogQuery.migrationHistory(rows.migrationTables).contains("FROM public.schema_migrations"))
        #expect(!CatalogQuery.migrationHistory(rows.migrationTables).contains("supabase_migrations"))
    }

    @Test func migrationRowsBecomeHistory() throws {
        let json = #"{"dbmate": null, "supabase": [{"version": "1", "name": null}, {"version": "2", "name": "b"}]}"#
        let rows = try JSONDecoder().decode(MigrationRows.self, from: Data(json.utf8))
        #expect(rows.history == MigrationHistory(supabase: [AppliedMigration(version: "1"),
                                                            AppliedMigration(version: "2", name: "b")]))
    }
}
