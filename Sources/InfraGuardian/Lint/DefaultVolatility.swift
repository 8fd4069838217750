/// Whether a column DEFAULT forces a table rewrite when the column is added. Since PostgreSQL 11 a
/// non-volatile default is evaluated once and stored in the catalog; a VOLATILE one must be
/// computed for every existing row, which rewrites the table under ACCESS EXCLUSIVE.
enum DefaultVolatility {
    /// Built-in functions known to be STABLE or IMMUTABLE (`pg_proc.provolatile` 's' or 'i'), as
    /// written in migrations. `current_timestamp`, `current_date`, `localtimestamp`... parse as
    /// `SQLValueFunction`, not function calls, and are stable too.
    static let nonVolatile: Set<String> = [
        "now", "statement_timestamp", "transaction_timestamp", "current_setting", "current_database",
        "current_schema", "date_trunc", "date_part", "extract", "make_date", "make_time", "make_timestamp",
        "make_timestamptz", "make_interval", "to_timestamp", "to_date", "to_char", "to_number", "timezone",
        "lower", "upper", "length", "char_length", "btrim", "ltrim", "rtrim", "trim", "substr", "substring",
        "replace", "concat", "concat_ws", "left", "right", "lpad", "rpad", "md5", "abs", "round", "floor", "ceil",
        "power", "greatest", "least", "coalesce", "nullif", "jsonb_build_object", "jsonb_build_array",
        "json_build_object", "json_build_array", "to_jsonb", "to_json", "array_fill", "int4range", "int8range",
        "numrange", "tstzrange", "daterange", "tsrange", "to_tsvector", "inet", "array_length", "encode", "decode",
    ]

    /// Functions commonly used as defaults that are VOLATILE, for a precise message.
    static let knownVolatile: Set<String> = [
        "random", "gen_random_uuid", "uuid_generate_v1", "uuid_generate_v1mc", "uuid_generate_v4", "clock_timestamp",
        "timeofday", "nextval", "setseed", "gen_random_bytes", "uuidv7", "uuid_generate_v7",
    ]

    /// The first function of a default expression not known to be stable or immutable, if any.
    /// Unknown (user-defined) functions count as volatile: PostgreSQL's own default for
    /// CREATE FUNCTION is VOLATILE.
    static func volatileFunction(in expression: JSONValue) -> String? {
        for call in expression.descendants(named: .funcCall) {
            let name = call[.funcname].array.last?.node(.string)[.sval].string ?? "?"
            if !nonVolatile.contains(name.lowercased()) { return name }
        }
        return nil
    }

    /// The DEFAULT expression of a `ColumnDef` body.
    static func defaultExpression(of column: JSONValue) -> JSONValue? {
        column[.constraints].array.map { $0.node(.constraint) }
            .first { $0[.contype].equals(PG.ConstrType.default) }?[.rawExpr]
    }
}
