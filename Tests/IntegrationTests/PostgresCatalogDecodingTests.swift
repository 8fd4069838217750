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
         "tables": [[16384, "s", "t", "p", 1e+06, 9007199254740993, null, null, null, null,
                     1700000000.5, null, null, 0, null, null, "\\"T\\""]],
         "columns": [[16384, "c", 1, "integer", true, null, "", "", null],
                     [16384, "Odd", 2, "text", false, null, "", "", "\\"Odd\\""]],
         "indexes": [[16384, "gone", "", "btree", false, false, true, true, null, null, 1, [1], [1978], null, null, null, null],
                     [16384, "t_odd_idx", null, "btree", true, false, true, true, 8192, 3, 2, [2, 1], [3126, 1978], null, null, null, null]],
         "operatorClasses": {"1978": "int4_ops", "3126": "text_ops"},
         "constraints": [[16384, "t_fk", "f", null, false, [1], 16390], [16384, "t_check", "c", "CHECK (c > 0)", true, [1], null]],
         "referencedRelations": {"16390": "auth.users"},
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
        // An index that vanished while it was read keeps an empty definition; a plain one is written as
        // pg_get_indexdef writes it, names quoted where quote_ident quotes them.
        #expect(snapshot.indexes.first?.definition == "")
        #expect(snapshot.indexes.first?.columns == ["c"])
        #expect(snapshot.indexes.last?.definition == "CREATE UNIQUE INDEX t_odd_idx ON s.\"T\" USING btree (\"Odd\", c)")
        #expect(snapshot.indexes.last?.columns == ["Odd", "c"] && snapshot.indexes.last?.operatorClasses == ["text_ops", "int4_ops"])
        #expect(snapshot.columns.map(\.name) == ["c", "Odd"] && snapshot.columns.allSatisfy { $0.schema == "s" && $0.table == "t" })
        // Constraints sorted by name; names and the referenced table resolved from oids.
        #expect(snapshot.constraints.map(\.name) == ["t_check", "t_fk"])
        #expect(snapshot.constraints.last?.referencedTable == "auth.users" && snapshot.constraints.last?.columns == ["c"])
        #expect(snapshot.constraints.first?.definition == "CHECK (c > 0)" && snapshot.constraints.last?.definition == "")
        #expect(snapshot.settings.isEmpty && snapshot.extensions.isEmpty)
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
