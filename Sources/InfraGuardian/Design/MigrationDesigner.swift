import Foundation

/// What `new-migration` writes: a table named from the words, keyed like the project's tables, a
/// foreign key (and its index) to the entity the words name when that table exists, the extra
/// columns, `created_at`, a comment, everything `IF NOT EXISTS`, `lock_timeout` where an existing
/// table is locked, and a down section that undoes exactly the up section.
public struct MigrationDesign: Sendable, Equatable {
    public var table: String
    /// The file name after the version (`lead_scoring_history`, `index_leads_status`).
    public var fileStem: String
    /// dbmate `transaction:false` sections (a `CREATE INDEX CONCURRENTLY` file).
    public var transactionFalse = false
    public var description: String
    public var up: [String]
    public var down: [String]
    /// What the designer decided and why, one line each (printed by the command).
    public var steps: [String]
}

enum MigrationDesigner {
    /// The schema a design reads: table → its `id` key type (nil when another key) and its columns.
    struct Schema {
        struct Table: Equatable {
            var keyType: String?
            var columns: Set<String> = []
        }
        var tables: [String: Table] = [:]
        /// Read from the live catalog (exact) rather than replayed from the files (best effort).
        var isLive = false
        /// Where it was read, for the steps ("the migrations", "the live catalog").
        var source = "the migrations"

        init(tables: [String: Table] = [:]) { self.tables = tables }

        /// The schema the migrations build, replayed with PostgreSQL's parser.
        init(_ set: MigrationSet) {
            let analysis = MigrationAnalysis(set)
            for entry in analysis.upStatements {
                let statement = entry.statement
                guard let target = statement.targetTable else { continue }
                let table = Self.unqualified(target)
                switch statement.kind {
                case .createStmt:
                    let id = statement.columnDefinitions.first { $0.column == "id" }
                    tables[table] = Table(keyType: id.flatMap { Self.keyType($0.builtinType) },
                                          columns: Set(statement.columnDefinitions.map(\.column)))
                case .alterTableStmt:
                    for column in statement.columnDefinitions where column.origin == .addColumn {
                        tables[table]?.columns.insert(column.column)
                    }
                case .dropStmt:
                    tables[table] = nil
                default: continue
                }
            }
        }

        /// The live catalog's ordinary and partitioned tables of `public` (read-only session).
        init(live rows: [[String?]]) {
            for row in rows {
                guard row.count == 3, let table = row[0], let column = row[1] else { continue }
                tables[table, default: Table()].columns.insert(column)
                if column == "id", let type = row[2] { tables[table]?.keyType = Self.keyType(type) }
            }
            isLive = true
            source = "the live catalog"
        }

        /// One query: every column of every table in `public`, with its type name.
        static let liveQuery = """
            SELECT c.relname, a.attname, t.typname
              FROM pg_catalog.pg_class c
              JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
              JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
              JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
             WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition
            """

        static func unqualified(_ name: String) -> String {
            name.hasPrefix("public.") ? String(name.dropFirst("public.".count)) : name
        }

        /// `uuid`, `bigint` or `integer` for an id column's type name.
        private static func keyType(_ type: String?) -> String? {
            switch type {
            case "uuid": return "uuid"
            case "int8", "bigserial", "serial8": return "bigint"
            case "int4", "serial", "serial4": return "integer"
            default: return nil
            }
        }

        /// The key most of the project's tables use (uuid when none says).
        var keyConvention: String {
            let types = tables.values.compactMap(\.keyType)
            let counts = Dictionary(grouping: types, by: { $0 }).mapValues(\.count)
            return counts.max { ($0.value, $1.key) < ($1.value, $0.key) }?.key ?? "uuid"
        }
    }

    static func design(_ phrase: String, columns: [ColumnSpec], schema: Schema) throws -> MigrationDesign {
        guard let table = Identifier.fromWords(phrase), Identifier.isPlain(table) else {
            throw SessionError("cannot name a table from \"\(phrase)\": use words of letters and digits")
        }
        if schema.tables[table] != nil {
            throw SessionError("table \(table) already exists in the migrations: name the change differently")
        }
        var steps: [String] = []
        let key = schema.keyConvention
        let keyColumn = key == "uuid" ? "id uuid PRIMARY KEY DEFAULT gen_random_uuid()" : "id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY"
        steps.append("table \(table), keyed \(key == "uuid" ? "uuid (gen_random_uuid())" : "bigint identity") like the project's tables")
        var definitions = [keyColumn]
        var up: [String] = []
        var after: [String] = []
        let entity = Self.entity(in: phrase, schema: schema, excluding: table)
        if let entity {
            let column = "\(entity.singular)_id"
            let type = schema.tables[entity.table]?.keyType ?? key
            definitions.append("\(column) \(type == "integer" ? "integer" : type) NOT NULL REFERENCES \(entity.table) (id)")
            after.append("CREATE INDEX IF NOT EXISTS \(Self.indexName(table, column)) ON \(table) (\(column));")
            up.append("-- The foreign key locks \(entity.table) (SHARE ROW EXCLUSIVE) while the table is created.")
            up.append("SET lock_timeout = '5s';")
            steps.append("foreign key \(column) → \(entity.table)(id), with its index \(Self.indexName(table, column))")
            steps.append("lock_timeout 5s: the foreign key locks the existing table \(entity.table)")
        }
        for column in columns where column.name != "id" && column.name != "created_at" && column.name != entity.map({ "\($0.singular)_id" }) {
            definitions.append(column.sql)
        }
        if !columns.isEmpty { steps.append("columns: \(columns.map(\.sql).joined(separator: ", "))") }
        definitions.append("created_at timestamptz NOT NULL DEFAULT now()")
        up.append("CREATE TABLE IF NOT EXISTS \(table) (\n    " + definitions.joined(separator: ",\n    ") + "\n);")
        up += after
        let description = phrase.trimmingCharacters(in: .whitespacesAndNewlines)
        let comment = "\(description.prefix(1).uppercased() + description.dropFirst())"
            + ". Holds personal data: retention and access per the data protection policy."
        up.append("COMMENT ON TABLE \(table) IS \(Self.literal(comment));")
        steps.append("COMMENT ON TABLE (compliance note)")
        var down: [String] = []
        if let entity { down.append("SET lock_timeout = '5s';"); _ = entity }
        down.append("DROP TABLE IF EXISTS \(table);")
        steps.append("down: DROP TABLE IF EXISTS \(table) (its index, key and comment go with it)")
        return MigrationDesign(table: table, fileStem: table, description: description, up: up, down: down, steps: steps)
    }

    /// `--index "leads(status)"`: an index on an existing table, in a file of its own — dbmate
    /// `transaction:false` with one `CREATE INDEX CONCURRENTLY` (dbmate sends a section as one
    /// query, and CONCURRENTLY cannot share it), so writes to the table go on while it builds.
    static func index(_ spec: IndexSpec, schema: Schema, kind: MigrationKind, supabaseCLI: SupabaseCLIVersion) throws -> MigrationDesign {
        guard let table = schema.tables[spec.table] else {
            throw SessionError("--index \(spec.text): no table \(spec.table) in \(schema.source) (an index on the new table is written with it)")
        }
        var steps: [String] = []
        let unknown = spec.columns.filter { !table.columns.contains($0) }
        if !unknown.isEmpty {
            let list = unknown.joined(separator: ", ")
            if schema.isLive { throw SessionError("--index \(spec.text): \(spec.table) has no column \(list) in the live catalog") }
            steps.append("\(spec.table).\(list): not seen in the migrations (renamed? check the name before applying)")
        }
        if kind == .supabase && !supabaseCLI.runsStandalone(.createIndexConcurrently) {
            let first = SupabaseCLIVersion.firstRelease(runningStandalone: .createIndexConcurrently)
            throw SessionError("--index \(spec.text): Supabase CLI \(supabaseCLI) runs each file in one transaction, where "
                + "CREATE INDEX CONCURRENTLY fails; from \(first) it runs alone: upgrade and set migrations.supabase_cli")
        }
        let name = indexName(spec.table, spec.columns.joined(separator: "_"))
        let columns = spec.columns.joined(separator: ", ")
        let up = [
            "-- One statement: CONCURRENTLY cannot run inside a transaction, nor beside another statement in one query.",
            "-- If it fails it leaves an INVALID index behind: DROP INDEX CONCURRENTLY IF EXISTS \(name); then run it again.",
            "CREATE INDEX CONCURRENTLY IF NOT EXISTS \(name) ON \(spec.table) (\(columns));",
        ]
        steps.append("index \(name) on the existing table \(spec.table) (\(columns)): its own file, "
            + (kind == .dbmate ? "transaction:false, " : "") + "CREATE INDEX CONCURRENTLY (writes go on while it builds)")
        if kind == .dbmate { steps.append("down: DROP INDEX CONCURRENTLY IF EXISTS \(name)") }
        return MigrationDesign(table: spec.table, fileStem: "index_" + String(name.dropLast(4)), transactionFalse: kind == .dbmate,
                               description: "Index \(name) on \(spec.table) (\(columns)), built concurrently",
                               up: up, down: ["DROP INDEX CONCURRENTLY IF EXISTS \(name);"], steps: steps)
    }

    /// The first word that names an existing table (`lead` → `leads`).
    static func entity(in phrase: String, schema: Schema, excluding table: String) -> (table: String, singular: String)? {
        let words = phrase.lowercased().split { !($0.isASCII && ($0.isLetter || $0.isNumber)) }.map(String.init)
        for word in words {
            let singular = word.hasSuffix("ies") ? String(word.dropLast(3)) + "y" : word.hasSuffix("s") ? String(word.dropLast()) : word
            let candidates = [singular + "s", singular + "es", singular.hasSuffix("y") ? String(singular.dropLast()) + "ies" : "", singular]
            if let found = candidates.first(where: { !$0.isEmpty && $0 != table && schema.tables[$0] != nil }),
               Identifier.isPlain(singular + "_id") {
                return (found, singular)
            }
        }
        return nil
    }

    /// `--index "TABLE(COLUMN[, COLUMN…])"`.
    struct IndexSpec: Equatable {
        var text: String
        var table: String
        var columns: [String]

        static func parse(_ text: String) throws -> IndexSpec {
            let trimmed = text.trimmingCharacters(in: .whitespaces)
            guard let open = trimmed.firstIndex(of: "("), trimmed.hasSuffix(")") else {
                throw SessionError("--index `\(text)` is not TABLE(COLUMN, …)")
            }
            let table = trimmed[..<open].trimmingCharacters(in: .whitespaces)
            let columns = trimmed[trimmed.index(after: open)..<trimmed.index(before: trimmed.endIndex)]
                .split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            let names = [Schema.unqualified(table)] + columns
            guard !columns.isEmpty, names.allSatisfy(Identifier.isPlain) else {
                throw SessionError("--index `\(text)`: the table and columns must be lower-case names of letters, digits and _")
            }
            return IndexSpec(text: trimmed, table: Schema.unqualified(table), columns: columns)
        }
    }

    static func indexName(_ table: String, _ column: String) -> String {
        let name = "\(table)_\(column)_idx"
        return name.utf8.count <= 63 ? name : String(name.prefix(59)) + "_idx"
    }

    static func literal(_ text: String) -> String { "'" + text.replacingOccurrences(of: "'", with: "''") + "'" }
}
