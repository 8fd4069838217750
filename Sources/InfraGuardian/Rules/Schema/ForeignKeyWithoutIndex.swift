/// A foreign key whose referencing columns no index can look up.
struct ForeignKeyWithoutIndex: Rule {
    static let description = RuleDescription(
        id: "fk-without-index", category: .index, severity: .medium,
        summary: "A foreign key's columns are not the leading columns of any valid, non-partial index on the referencing table.",
        finds: "a foreign key whose columns lead no valid, non-partial index of the referencing table",
        why: """
        Deleting or updating a referenced row makes PostgreSQL look for referencing rows: without an index on \
        the foreign-key columns that is a sequential scan of the child table per parent row, under lock. \
        Joins from parent to children (the usual "cases of a patient") scan too. The index must lead with the \
        key's columns (in any order); a partial index does not serve the check.
        """,
        fix: """
        In a migration with `-- migrate:up transaction:false`: \
        CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_<table>_<columns> ON <schema>.<table> (<columns>);
        """,
        bad: [.postgres("public.cases (patient_id) REFERENCES public.patients, no index on cases.patient_id") {
            Examples.casesAndPatients(caseIndexes: [])
        }, .postgres("the only index on cases.patient_id is partial (WHERE closed_at IS NULL)") {
            Examples.casesAndPatients(caseIndexes: [Index(table: "cases", name: "idx_cases_open", columns: ["patient_id"],
                                                          predicate: "(closed_at IS NULL)")])
        }],
        good: [.postgres("idx_cases_patient_id_opened_at ON public.cases (patient_id, opened_at DESC)") {
            Examples.casesAndPatients(caseIndexes: [Index(table: "cases", name: "idx_cases_patient_id_opened_at",
                                                          columns: ["patient_id", "opened_at"])])
        }])

    func check(_ input: AuditInput, _ context: RuleContext) -> [Finding] {
        guard let pg = input.postgres.value else { return [] }
        let lookup = CatalogLookup(pg)
        return pg.constraints.filter { $0.type == "f" && !$0.columns.isEmpty && !lookup.isInherited($0) }.compactMap { key in
            let wanted = Set(key.columns)
            let covered = lookup.indexes(onTable: key.schema, key.table).contains { index in
                index.isValid && index.predicate == nil
                    && index.columns.count >= key.columns.count
                    && Set(index.columns.prefix(key.columns.count)) == wanted
            }
            guard !covered else { return nil }
            let columns = key.columns.joined(separator: ", ")
            let name = SQLName.indexName(["idx", key.table] + key.columns)
            let fix = """
                In a migration with `-- migrate:up transaction:false`: CREATE INDEX CONCURRENTLY IF NOT EXISTS \
                \(SQLName.quote(name)) ON \(pg.sqlName(key.schema, key.table)) (\(key.columns.map(SQLName.quote).joined(separator: ", ")));
                """
            return finding("Foreign key \(key.name) on \(key.schema).\(key.table) (\(columns)) → \(key.referencedTable ?? "?") has no index leading with \(columns): deletes and updates of the referenced rows scan \(key.table).",
                           at: .object("\(key.schema).\(key.table).\(key.name)"), fix: fix)
        }
    }
}

/// Snapshot fixtures shared by the schema rules' examples.
enum Examples {
    static func casesAndPatients(caseIndexes: [Index]) -> PostgresSnapshot {
        PostgresSnapshot(
            tables: [Table(name: "patients", rowEstimate: 5_000), Table(name: "cases", rowEstimate: 20_000)],
            indexes: [Index(table: "patients", name: "patients_pkey", isUnique: true, isPrimary: true, columns: ["id"]),
                      Index(table: "cases", name: "cases_pkey", isUnique: true, isPrimary: true, columns: ["id"])]
                + caseIndexes,
            constraints: [Constraint(table: "patients", name: "patients_pkey", type: "p", columns: ["id"]),
                          Constraint(table: "cases", name: "cases_pkey", type: "p", columns: ["id"]),
                          Constraint(table: "cases", name: "cases_patient_id_fkey", type: "f",
                                     definition: "FOREIGN KEY (patient_id) REFERENCES patients(id)",
                                     columns: ["patient_id"], referencedTable: "public.patients")])
    }
}
