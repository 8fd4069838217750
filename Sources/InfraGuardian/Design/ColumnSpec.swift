/// One column of `new-migration --columns "score:int, model_version:text!"`: a name, a type from a
/// fixed list (aliases mapped to the types our rules prefer), and `!` for NOT NULL.
struct ColumnSpec: Equatable, Sendable {
    var name: String
    var type: String
    var notNull: Bool

    var sql: String { "\(name) \(type)\(notNull ? " NOT NULL" : "")" }

    /// The accepted spellings → the type written (`json` → `jsonb`, `timestamp` → `timestamptz`,
    /// `varchar`/`char` → `text`, `int` → `integer`): what our own type rules accept.
    static let types: [String: String] = [
        "int": "integer", "integer": "integer", "int4": "integer", "bigint": "bigint", "int8": "bigint",
        "smallint": "smallint", "numeric": "numeric", "decimal": "numeric", "real": "real", "float": "double precision",
        "double": "double precision", "bool": "boolean", "boolean": "boolean", "text": "text", "varchar": "text",
        "char": "text", "string": "text", "json": "jsonb", "jsonb": "jsonb", "uuid": "uuid", "date": "date",
        "timestamp": "timestamptz", "timestamptz": "timestamptz", "time": "time", "interval": "interval",
        "bytea": "bytea", "inet": "inet", "text[]": "text[]", "uuid[]": "uuid[]", "integer[]": "integer[]",
    ]

    /// Parses the `--columns` list; throws with the offending part.
    static func parse(_ list: String) throws -> [ColumnSpec] {
        try list.split(separator: ",").map { part in
            let trimmed = part.trimmingCharacters(in: .whitespaces)
            let pieces = trimmed.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard pieces.count == 2, Identifier.isPlain(pieces[0]) else {
                throw SessionError("--columns: `\(trimmed)` is not NAME:TYPE (a lower-case name of letters, digits and _)")
            }
            var typeName = pieces[1].lowercased()
            let notNull = typeName.hasSuffix("!")
            if notNull { typeName = String(typeName.dropLast()).trimmingCharacters(in: .whitespaces) }
            guard let type = types[typeName] else {
                throw SessionError("--columns: unknown type `\(pieces[1])` for \(pieces[0]); one of: \(types.keys.sorted().joined(separator: ", "))")
            }
            return ColumnSpec(name: pieces[0], type: type, notNull: notNull)
        }
    }
}

/// Names `new-migration` writes without quotes: lower-case letters, digits and `_`, starting with a
/// letter, at most 63 bytes, not a reserved word.
enum Identifier {
    static func isPlain(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, ("a"..."z").contains(first), name.utf8.count <= 63 else { return false }
        return name.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" }
            && quoteIdentifier(name) == name
    }

    /// `"lead scoring history"` → `lead_scoring_history`; nil when no word is left.
    static func fromWords(_ phrase: String) -> String? {
        let words = phrase.lowercased().split { !($0.isASCII && ($0.isLetter || $0.isNumber)) }.map(String.init)
        guard !words.isEmpty else { return nil }
        var name = words.joined(separator: "_")
        if let first = name.first, !first.isLetter { name = "t_" + name }
        while name.utf8.count > 50 { name = String(name.dropLast()) }
        return name
    }
}
