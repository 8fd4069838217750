import Foundation

extension CatalogRows {
    /// The catalog's rows named and ordered: relations by schema and name, columns by position,
    /// indexes and constraints by name, in byte order (the server's `ORDER BY` under the C collation,
    /// done here so that the server neither sorts nor spills to disk at 20,000 tables). Names come
    /// from the relation and column rows by oid and attnum; a plain index's definition is written as
    /// `pg_get_indexdef` writes it.
    struct Resolved {
        var tables: [InfraGuardian.Table] = []
        var columns: [InfraGuardian.Column] = []
        var indexes: [InfraGuardian.Index] = []
        var constraints: [InfraGuardian.Constraint] = []

        private struct ColumnName {
            var name: String
            var quoted: String
        }

        init(_ rows: CatalogRows) {
            let relations = Dictionary((rows.tables ?? []).map { ($0.oid, $0) }) { first, _ in first }
            var names: [UInt32: [Int: ColumnName]] = [:]
            for column in rows.columns ?? [] {
                names[column.relation, default: [:]][column.position] = ColumnName(name: column.name, quoted: column.quotedName ?? column.name)
            }
            tables = (rows.tables ?? []).map(Self.table).sorted { Self.precedes(($0.schema, $0.name, ""), ($1.schema, $1.name, "")) }
            columns = (rows.columns ?? []).compactMap { column in
                relations[column.relation].map { Self.column(column, in: $0) }
            }.sorted { ($0.schema, $0.table) == ($1.schema, $1.table)
                ? $0.position < $1.position : Self.precedes(($0.schema, $0.table, ""), ($1.schema, $1.table, "")) }
            let operatorClasses = rows.operatorClasses ?? [:]
            indexes = (rows.indexes ?? []).compactMap { index in
                relations[index.relation].map { Self.index(index, on: $0, names: names[index.relation] ?? [:], operatorClasses: operatorClasses) }
            }.sorted { Self.precedes(($0.schema, $0.table, $0.name), ($1.schema, $1.table, $1.name)) }
            let referenced = rows.referencedRelations ?? [:]
            constraints = (rows.constraints ?? []).compactMap { constraint in
                relations[constraint.relation].map { relation in
                    let columns = names[constraint.relation] ?? [:]
                    return InfraGuardian.Constraint(
                        schema: relation.schema, table: relation.name, name: constraint.name, type: constraint.type,
                        definition: constraint.definition ?? "", isValidated: constraint.isValidated ?? true,
                        columns: (constraint.keys ?? []).compactMap { columns[$0]?.name },
                        referencedTable: constraint.referencedRelation.flatMap { referenced[String($0)] })
                }
            }.sorted { Self.precedes(($0.schema, $0.table, $0.name), ($1.schema, $1.table, $1.name)) }
        }

        /// Byte order of (schema, table, name), as PostgreSQL's C collation sorts.
        private static func precedes(_ left: (String, String, String), _ right: (String, String, String)) -> Bool {
            if left.0 != right.0 { return left.0.utf8.lexicographicallyPrecedes(right.0.utf8) }
            if left.1 != right.1 { return left.1.utf8.lexicographicallyPrecedes(right.1.utf8) }
            return left.2.utf8.lexicographicallyPrecedes(right.2.utf8)
        }

        private static func table(_ row: CatalogRows.Table) -> InfraGuardian.Table {
            InfraGuardian.Table(
                schema: row.schema, name: row.name, kind: row.kind ?? "r", rowEstimate: row.rowEstimate ?? -1,
                sizeBytes: row.sizeBytes ?? 0, seqScan: row.seqScan ?? 0, idxScan: row.idxScan ?? 0,
                liveTuples: row.liveTuples ?? 0, deadTuples: row.deadTuples ?? 0,
                lastVacuum: date(row.lastVacuum), lastAutovacuum: date(row.lastAutovacuum),
                lastAnalyze: date(row.lastAnalyze), lastAutoanalyze: date(row.lastAutoanalyze), partitionOf: row.partitionOf)
        }

        private static func column(_ row: CatalogRows.Column, in relation: CatalogRows.Table) -> InfraGuardian.Column {
            InfraGuardian.Column(
                schema: relation.schema, table: relation.name, name: row.name, position: row.position, type: row.type ?? "",
                notNull: row.notNull ?? false, defaultExpression: row.defaultExpression,
                identity: row.identity ?? "", generated: row.generated ?? "")
        }

        private static func index(_ row: CatalogRows.Index, on relation: CatalogRows.Table, names: [Int: ColumnName],
                                  operatorClasses: [String: String]) -> InfraGuardian.Index {
            let keys = Array(row.keys.prefix(row.keyCount))
            let columns = keys.enumerated().map { position, attnum in
                attnum == 0 ? (row.expressions?[safe: position] ?? nil) ?? "" : names[attnum]?.name ?? ""
            }
            let definition = row.definition ?? plainDefinition(row, on: relation, keys: keys, names: names)
            return InfraGuardian.Index(
                schema: relation.schema, table: relation.name, name: row.name, definition: definition, method: row.method ?? "",
                isUnique: row.isUnique ?? false, isPrimary: row.isPrimary ?? false, isValid: row.isValid ?? false,
                isReady: row.isReady ?? false, sizeBytes: row.sizeBytes ?? 0, scans: row.scans ?? 0, columns: columns,
                operatorClasses: row.operatorClasses.prefix(row.keyCount).compactMap { operatorClasses[String($0)] },
                predicate: row.predicate, options: row.options ?? [])
        }

        /// `CREATE [UNIQUE] INDEX name ON schema.table USING method (key, …)`, every name quoted as
        /// `quote_ident` quotes it: what `pg_get_indexdef` returns for an index the server found plain.
        private static func plainDefinition(_ row: CatalogRows.Index, on relation: CatalogRows.Table, keys: [Int],
                                            names: [Int: ColumnName]) -> String {
            let columns = keys.map { names[$0]?.quoted ?? "" }.joined(separator: ", ")
            return "CREATE \(row.isUnique == true ? "UNIQUE " : "")INDEX \(row.quotedName ?? row.name) ON "
                + "\(relation.quotedSchema ?? relation.schema).\(relation.quotedName ?? relation.name) USING \(row.method ?? "btree") (\(columns))"
        }
    }
}

private extension Array {
    subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}
