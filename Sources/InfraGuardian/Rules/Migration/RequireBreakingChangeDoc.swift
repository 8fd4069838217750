import Foundation

/// Renames, type changes and drops must say why, in a comment next to the statement.
struct RequireBreakingChangeDoc: Rule {
    static let description = RuleDescription(
        id: "require-breaking-change-doc", category: .migration, severity: .medium,
        summary: "A rename, a column type change or a drop has no comment explaining it.",
        finds: "a rename, type change or drop with no explaining comment in the 3 lines above",
        why: """
        The seed requires breaking changes to be documented. Renames, type changes and drops break the \
        code and queries written against the old schema; the reviewer and the next on-call engineer need \
        to know why it is done and what was updated with it. A comment within the three lines above the \
        statement counts; waiver comments (`-- infra-guardian:…`) do not.
        """,
        fix: """
        Write the reason and the coordinated code change just above the statement:
          -- Breaking: leads.phone becomes phone_hash (PII); adapters updated in PR #42.
          ALTER TABLE leads RENAME COLUMN phone TO phone_hash;
        """,
        bad: [.migration("ALTER TABLE leads RENAME COLUMN phone TO phone_hash;"),
              .migration("ALTER TABLE leads ALTER COLUMN score TYPE bigint;")],
        good: [.migration("-- Breaking: phone becomes phone_hash (PII); adapters updated in PR #42.\nALTER TABLE leads RENAME COLUMN phone TO phone_hash;"),
               .migration("-- migrate:up\nALTER TABLE leads ADD COLUMN IF NOT EXISTS source text;\n-- migrate:down\nALTER TABLE leads DROP COLUMN IF EXISTS source;\n")])

    /// Dropped object types that code depends on (indexes and constraints are not breaking for readers).
    private static let breakingDrops: Set<PG.ObjectType> = [.table, .view, .matview, .type, .schema, .function,
                                                             .procedure, .sequence, .domain, .foreignTable]

    func check(_ input: AuditInput, _ context: RuleContext) -> [Finding] {
        let analysis = context.migrations(input)
        // What `breakingChange` looks at: renames, drops, and ALTER TABLEs changing a type or dropping a column.
        let candidates = [analysis.upStatementPositions(kind: .renameStmt), analysis.upStatementPositions(kind: .dropStmt),
                          analysis.upStatementPositions(withAlterCommand: .alterColumnType),
                          analysis.upStatementPositions(withAlterCommand: .dropColumn)]
        return analysis.upStatements(atAnyOf: candidates).compactMap { file, statement in
            guard let up = file.up, let change = Self.breakingChange(statement, file: file),
                  !up.hasDocumentation(for: statement) else { return nil }
            return finding("\(change) has no comment explaining the breaking change.", at: statement.location,
                           fix: "Write the reason and the coordinated code change on the line above line \(statement.line):\n"
                               + "  -- Breaking: \(change): <why, and the code change that ships with it (PR, release)>\n"
                               + "  \(FixText.oneLine(statement));")
        }
    }

    /// What is breaking about the statement, or nil.
    static func breakingChange(_ statement: SQLStatement, file: FileAnalysis) -> String? {
        if statement.targetCreatedInFile || statement.droppedCreatedInFile { return nil }
        switch statement.kind {
        case .renameStmt where isSwap(statement, file: file):
            return nil
        case .renameStmt:
            // renameType is always one `OBJECT_…` name: dropping the prefix removes every `OBJECT_`.
            let type = statement.node[.renameType].decoded(PG.ObjectType.self)?.name ?? "object"
            let change = "Rename of \(type.lowercased()) \(statement.node[.subname].string ?? statement.targetTable ?? "")"
            return trimmingTrailingWhitespace(change)
        case .alterTableStmt:
            let table = statement.targetTable ?? "?"
            if let position = statement.alterSubtypes.firstIndex(of: .alterColumnType) {
                return "Type change of \(table).\(statement.alterCommands[position][.name].string ?? "?")"
            }
            if let position = statement.alterSubtypes.firstIndex(of: .dropColumn) {
                return "DROP COLUMN \(table).\(statement.alterCommands[position][.name].string ?? "?")"
            }
            return nil
        case .dropStmt:
            guard let type = statement.dropObjectType, breakingDrops.contains(type) else { return nil }
            let names = statement.droppedObjects.filter { !file.tablesCreatedHere.contains(SQLStatement.unqualified($0)) }
            return names.isEmpty ? nil : "DROP \(type.name) \(names.joined(separator: ", "))"
        default:
            return nil
        }
    }

    /// `ALTER TABLE t RENAME TO t_old` followed in the same up section by a new `t`: readers of `t`
    /// keep working (a rename-and-swap, as when a table becomes partitioned).
    static func isSwap(_ statement: SQLStatement, file: FileAnalysis) -> Bool {
        guard let old = statement.targetTable, statement.node[.subname].string == nil,
              let statements = file.up?.statements, statement.index + 1 < statements.count else { return false }
        return statements[(statement.index + 1)...].contains { later in
            switch later.kind {
            case .createStmt, .createTableAsStmt: return SectionParser.createdTable(kind: later.kind, node: later.node) == old
            case .viewStmt: return later.node[.view][.relname].string == old
            default: return false
            }
        }
    }

    /// `text.trimmingCharacters(in: .whitespaces)` for a text that starts with a letter: Foundation
    /// is asked only when the text ends with a space, a tab or a non-ASCII character.
    private static func trimmingTrailingWhitespace(_ text: String) -> String {
        guard let last = text.utf8.last, last == UInt8(ascii: " ") || last == UInt8(ascii: "\t") || last >= 0x80 else { return text }
        return text.trimmingCharacters(in: .whitespaces)
    }
}
