/// `--seed-rows N`: synthetic rows in the existing tables a migration touches, so that a rewrite or
/// a validation scan has data to work on. Values come from each column's type (`g` from
/// `generate_series`); columns with a default, an identity or a generation expression keep it;
/// nullable columns of other types stay NULL. Foreign keys and triggers are not fired
/// (`session_replication_role = replica`, where the role may set it). No real data is involved.
enum SeedRows {
    static func seed(_ table: String, rows: Int, connection: PostgresConnection) -> SeededTable {
        let quoted = table.split(separator: ".", maxSplits: 1).map { quoteIdentifier(String($0)) }.joined(separator: ".")
        do {
            let columns = try connection.query(columnsQuery, [table])
            var names: [String] = [], values: [String] = []
            for column in columns where column.count == 4 {
                guard let name = column[0], let type = column[1], let typeName = column[2] else { continue }
                let notNull = column[3] == "true"
                if let value = generator(type: type, typeName: typeName) {
                    names.append(quoteIdentifier(name))
                    values.append("(\(value))::\(type)")
                } else if notNull {
                    return SeededTable(table: table, rows: 0, failure: "no generator for the NOT NULL \(type) column \(name)")
                }
            }
            _ = try? connection.run("SET session_replication_role = replica")
            defer { _ = try? connection.run("RESET session_replication_role") }
            let list = names.isEmpty ? "DEFAULT VALUES" : "(\(names.joined(separator: ", "))) SELECT \(values.joined(separator: ", ")) FROM generate_series(1, \(rows)) AS g"
            if names.isEmpty {
                try connection.run("INSERT INTO \(quoted) SELECT FROM generate_series(1, \(rows))")
            } else {
                try connection.run("INSERT INTO \(quoted) \(list)")
            }
            return SeededTable(table: table, rows: rows)
        } catch {
            return SeededTable(table: table, rows: 0, failure: SectionRunner.message(error))
        }
    }

    /// An expression over `g` for a column of `type` (`format_type`) whose base type is `typeName`.
    static func generator(type: String, typeName: String) -> String? {
        switch typeName {
        case "int2": return "g % 30000"
        case "int4", "int8", "numeric", "float4", "float8", "oid": return "g"
        case "text", "varchar", "bpchar", "citext", "name": return "'seed-' || g"
        case "uuid": return "md5(g::text)::uuid"
        case "bool": return "g % 2 = 0"
        case "timestamptz", "timestamp", "date": return "now() - make_interval(secs => g)"
        case "time", "timetz": return "'12:00'"
        case "interval": return "make_interval(secs => g)"
        case "json", "jsonb": return "'{}'"
        case "bytea": return "'\\x00'::bytea"
        case "inet", "cidr": return "'10.0.0.1'"
        case "vector":
            let dimensions = type.drop { $0 != "(" }.dropFirst().prefix { $0.isNumber }
            return dimensions.isEmpty ? nil : "array_fill(0::real, ARRAY[\(dimensions)])"
        default: return nil
        }
    }

    /// Columns that need a value: no default, identity or generation expression.
    private static let columnsQuery = """
        SELECT a.attname, format_type(a.atttypid, a.atttypmod),
               CASE WHEN t.typtype = 'd' THEN bt.typname ELSE t.typname END, a.attnotnull::text
        FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid LEFT JOIN pg_type bt ON bt.oid = t.typbasetype
        WHERE a.attrelid = $1::regclass AND a.attnum > 0 AND NOT a.attisdropped
          AND NOT a.atthasdef AND a.attidentity = '' AND a.attgenerated = ''
        ORDER BY a.attnum
        """
}
