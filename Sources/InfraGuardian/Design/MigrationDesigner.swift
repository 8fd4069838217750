import Foundation

/// What `new-migration` writes: a table named from the words, keyed like the project's tables, a
/// foreign key (and its index) to the entity the words name when that table exists, the extra
/// columns, `created_at`, a comment, everything `IF NOT EXISTS`, `lock_timeout` where an existing
/// table is locked, and a down section that undoes exactly the up section.
public struct MigrationDesign: Sendable, Equatable {
    public var table: String
    public var description: String
    public var up: [String]
    public var down: [String]
    /// What the designer decided and why, one line each (printed by the command).
    public var steps: [String]
}

enum MigrationDesigner {
    /// The schema the migrations build: table → the type of its `id` primary key (nil when another key).
    struct Schema {
        var tables: [String: String?] = [:]

        init(_ set: MigrationSet) {
            let analysis = MigrationAnalysis(set)
            for entry in analysis.upStatements {
                let statement = entry.statement
                guard let target = statement.targetTable else { continue }
                let table = target.hasPrefix("public.") ? String(target.dropFirst("public.".count)) : target
                switch statement.kind {
                case .createStmt:
                    let id = statement.columnDefinitions.first { $0.column == "id" }
                    tables[table] = id.map { Self.keyType($0) } ?? .some(nil)
                case .dropStmt:
                    tables[table] = nil
                default: continue
                }
            }
        }

        /// `uuid`, `bigint` or `integer` for an id column; identity is read from its constraints.
        private static func keyType(_ column: ColumnDefinition) -> String? {
            switch column.builtinType {
            case "uuid": return "uuid"
            case "int8", "bigserial", "serial8": return "bigint"
            case "int4", "serial", "serial4": return "integer"
            default: return nil
            }
        }

        /// The key most of the project's tables use (uuid when none says).
        var keyConvention: String {
            let types = tables.values.compactMap { $0 }
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
            let type = (schema.tables[entity.table] ?? nil) ?? key
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
        return MigrationDesign(table: table, description: description, up: up, down: down, steps: steps)
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

    static func indexName(_ table: String, _ column: String) -> String {
        let name = "\(table)_\(column)_idx"
        return name.utf8.count <= 63 ? name : String(name.prefix(59)) + "_idx"
    }

    static func literal(_ text: String) -> String { "'" + text.replacingOccurrences(of: "'", with: "''") + "'" }
}
