/// ALTER TABLE … DROP CONSTRAINT on a table that existed before the migration.
struct BanDropConstraint: Rule {
    static let description = RuleDescription(
        id: "ban-drop-constraint", category: .migration, severity: .medium,
        summary: "ALTER TABLE … DROP CONSTRAINT silently weakens the data's integrity.",
        finds: "`DROP CONSTRAINT` on an existing table without approval (not when re-added, or replaced by `SET NOT NULL`)",
        why: """
        A CHECK, FOREIGN KEY, UNIQUE or PRIMARY KEY constraint is the last line of defence against bad \
        rows: once dropped, nothing fails, the bad data just starts to arrive (orphans, duplicates, \
        out-of-range values), and putting the constraint back later means cleaning it up first. With \
        CASCADE, the foreign keys that depend on a dropped key go too. It also takes an ACCESS EXCLUSIVE \
        lock on the table. Not flagged: tables and constraints created earlier in the same file, a \
        constraint re-added under the same name in the same section (a changed definition), and the \
        temporary `CHECK (col IS NOT NULL)` dropped once `SET NOT NULL` has replaced it.
        """,
        fix: """
        To change a constraint, replace it in one migration so there is no gap:
          ALTER TABLE cases DROP CONSTRAINT IF EXISTS cases_status_check;
          ALTER TABLE cases ADD CONSTRAINT cases_status_check
              CHECK (status IN ('open', 'in_treatment', 'closed', 'cancelled', 'archived')) NOT VALID;
          -- later migration: ALTER TABLE cases VALIDATE CONSTRAINT cases_status_check;
        To remove it for good, approve it on the line above:
          -- infra-guardian:approve ban-drop-constraint enforced by the new state machine, ticket INFRA-133
          ALTER TABLE cases DROP CONSTRAINT IF EXISTS cases_status_check;
        """,
        bad: [.migration("ALTER TABLE cases DROP CONSTRAINT IF EXISTS cases_patient_id_fkey;")],
        good: [.migration("ALTER TABLE cases DROP CONSTRAINT IF EXISTS cases_status_check;\nALTER TABLE cases ADD CONSTRAINT cases_status_check CHECK (status IN ('open', 'closed', 'archived')) NOT VALID;"),
               .migration("ALTER TABLE leads ADD CONSTRAINT leads_email_not_null CHECK (email IS NOT NULL) NOT VALID;\nALTER TABLE leads VALIDATE CONSTRAINT leads_email_not_null;\nALTER TABLE leads ALTER COLUMN email SET NOT NULL;\nALTER TABLE leads DROP CONSTRAINT leads_email_not_null;")],
        requiresApproval: true)

    func check(_ input: AuditInput, _ context: RuleContext) -> [Finding] {
        let analysis = context.migrations(input)
        return analysis.upStatements(withAlterCommands: [.dropConstraint]).flatMap { file, statement -> [Finding] in
            guard statement.targetExistedBefore, let table = statement.targetTable, let up = file.up,
                  let commands = statement.alterTable?.commands else { return [] }
            return commands.indices.compactMap { position in
                let command = commands[position]
                guard command.subtype == .dropConstraint, let name = command.name else { return nil }
                let constraint = SchemaObject(.constraint, "\(table).\(name)")
                if up.created(constraint, before: statement.index) { return nil }
                let cascade = command.cascades
                let readded = up.created(constraint, after: statement.index) || commands[(position + 1)...].contains {
                    $0.subtype == .addConstraint && $0.constraint.name == name
                }
                if readded, !cascade { return nil }
                if Self.isReplacedByNotNull(name, table: table, statement: statement, command: position, in: up, analysis: analysis, file: file) {
                    return nil
                }
                return finding("DROP CONSTRAINT \(name) on \(table)\(cascade ? " CASCADE" : "") without `-- infra-guardian:approve ban-drop-constraint <reason>`.",
                               at: statement.location)
            }
        }
    }

    /// The last step of the safe SET NOT NULL sequence: the constraint is a `CHECK (col IS NOT NULL)`
    /// (defined in this file or an earlier one) and `col` was set NOT NULL before the drop.
    private static func isReplacedByNotNull(_ name: String, table: String, statement: SQLStatement, command position: Int,
                                            in up: ParsedSection, analysis: MigrationAnalysis, file: FileAnalysis) -> Bool {
        let sections = analysis.files.filter { $0.position <= file.position }.compactMap(\.up)
        let definition = sections.lazy.flatMap(\.statements).filter { $0.targetTable == table }
            .flatMap { $0.alterCommands(.addConstraint) }.map { $0[.def].node(.constraint) }
            .first { $0[.conname].string == name }
        guard let definition, definition[.contype].equals(PG.ConstrType.check) else { return false }
        let test = definition[.rawExpr].node(.nullTest)
        guard test[.nulltesttype].equals(PG.NullTestType.notNull),
              let column = SQLStatement.lastName(test[.arg].node(.columnRef)[.fields]) else { return false }
        let setNotNull: (JSONValue) -> Bool = { $0[.subtype].equals(PG.AlterTableType.setNotNull) && $0[.name].string == column }
        return statement.alterCommands.prefix(position).contains(where: setNotNull)
            || up.statements.prefix(statement.index).contains { $0.targetTable == table && $0.alterCommands.contains(where: setNotNull) }
    }
}
