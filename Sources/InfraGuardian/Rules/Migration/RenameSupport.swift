/// Shared by the renaming-* rules: up-section renames of objects that existed before the migration,
/// found once per analysis (`analysis.shared(Renames.self)`).
enum Renames: SharedFact {
    struct Rename: Sendable {
        var statement: SQLStatement
        /// `RenameStmt.renameType` without `OBJECT_` (`COLUMN`, `TABLE`, `INDEX`…); `ENUM_VALUE` for
        /// `ALTER TYPE … RENAME VALUE`.
        var type: String
        var old: String
        var new: String
        /// The up section the rename is in.
        var section: ParsedSection
    }

    /// Renames in up sections, except of objects made earlier in the same file (nobody uses those
    /// yet): on a table created in the file, or of an index, view, type... created before it.
    static func compute(_ analysis: MigrationAnalysis) -> [Rename] {
        analysis.upStatements(kinds: [.renameStmt, .alterEnumStmt]).compactMap { file, statement in
            guard !statement.targetCreatedInFile, let up = file.up else { return nil }
            switch statement.kind {
            case .renameStmt:
                guard let type = statement.node[.renameType].decoded(PG.ObjectType.self)?.name,
                      let new = statement.node[.newname].string else { return nil }
                if let renamed = statement.renamed, up.created(renamed.from, before: statement.index) { return nil }
                let old = statement.node[.subname].string ?? statement.targetTable
                    ?? SQLStatement.lastName(statement.node[.object].node(.list)[.items])
                    ?? SQLStatement.lastName(statement.node[.object].node(.objectWithArgs)[.objname]) ?? "?"
                return Rename(statement: statement, type: type, old: old, new: new, section: up)
            case .alterEnumStmt:
                // `ALTER TYPE … RENAME VALUE 'a' TO 'b'`: stored rows and code comparing with 'a' change meaning.
                guard let old = statement.node[.oldVal].string, let new = statement.node[.newVal].string,
                      let type = SQLStatement.lastName(statement.node[.typeName]),
                      !up.created(SchemaObject(.type, type), before: statement.index) else { return nil }
                return Rename(statement: statement, type: "ENUM_VALUE", old: "\(type).'\(old)'", new: "'\(new)'", section: up)
            default:
                return nil
            }
        }
    }

    /// `TABCONSTRAINT` → `constraint`, `MATVIEW` → `materialized view`, `ENUM_VALUE` → `enum value`.
    static func describe(_ type: String) -> String {
        PG.ObjectType(rawValue: "OBJECT_" + type)?.words ?? type.lowercased().replacingOccurrences(of: "_", with: " ")
    }
}
