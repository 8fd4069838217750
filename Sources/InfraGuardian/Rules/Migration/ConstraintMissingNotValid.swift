/// ADD CONSTRAINT … FOREIGN KEY / CHECK validated in the same statement (or the same transaction)
/// on a table that already holds data.
struct ConstraintMissingNotValid: Rule {
    static let description = RuleDescription(
        id: "constraint-missing-not-valid", category: .migration, severity: .high,
        summary: "A FOREIGN KEY or CHECK is added to an existing table and validated at once, scanning it under a write-blocking lock.",
        finds: "`ADD CONSTRAINT … FOREIGN KEY/CHECK` (or `ADD COLUMN … REFERENCES/CHECK`) on an existing table without `NOT VALID`, or `VALIDATE` in the same transaction as the `NOT VALID` add",
        why: """
        Without NOT VALID, PostgreSQL checks every existing row while holding the lock the ADD takes: \
        ACCESS EXCLUSIVE for a CHECK (no reads, no writes), SHARE ROW EXCLUSIVE for a FOREIGN KEY (no \
        writes) on BOTH the table and the referenced table, for the whole scan. With NOT VALID the \
        constraint applies to new rows at once and VALIDATE CONSTRAINT checks the old ones later under \
        SHARE UPDATE EXCLUSIVE, which lets reads and writes go on. Validating in the SAME transaction as \
        the NOT VALID add gains nothing: the strong lock is still held during the scan. A column added \
        with REFERENCES or CHECK is validated the same way. Tables created earlier in the file are exempt.
        """,
        fix: """
        Add it NOT VALID, then validate in a separate migration (another transaction):
          -- migration 1
          SET lock_timeout = '5s';
          ALTER TABLE cases ADD CONSTRAINT cases_lead_id_fkey
              FOREIGN KEY (lead_id) REFERENCES leads (id) NOT VALID;
          -- migration 2 (SHARE UPDATE EXCLUSIVE: reads and writes go on)
          ALTER TABLE cases VALIDATE CONSTRAINT cases_lead_id_fkey;
        For a new column: add the column first, then the constraint NOT VALID as above.
        """,
        bad: [.migration("ALTER TABLE cases ADD CONSTRAINT cases_lead_id_fkey FOREIGN KEY (lead_id) REFERENCES leads (id);"),
              .migration("ALTER TABLE leads ADD CONSTRAINT leads_attempts_check CHECK (contact_attempts >= 0);"),
              .migration("ALTER TABLE cases ADD COLUMN IF NOT EXISTS lead_id uuid REFERENCES leads (id);"),
              .migration("ALTER TABLE leads ADD CONSTRAINT leads_attempts_check CHECK (contact_attempts >= 0) NOT VALID;\nALTER TABLE leads VALIDATE CONSTRAINT leads_attempts_check;",
                         at: .line(3, column: 1))],
        good: [.migration("SET lock_timeout = '5s';\nALTER TABLE cases ADD CONSTRAINT cases_lead_id_fkey FOREIGN KEY (lead_id) REFERENCES leads (id) NOT VALID;"),
               .migration("ALTER TABLE cases VALIDATE CONSTRAINT cases_lead_id_fkey;"),
               .migration("CREATE TABLE IF NOT EXISTS notes (id uuid PRIMARY KEY, lead_id uuid);\nALTER TABLE notes ADD CONSTRAINT notes_lead_id_fkey FOREIGN KEY (lead_id) REFERENCES leads (id);"),
               .migration("-- migrate:up transaction:false\nBEGIN;\nALTER TABLE leads ADD CONSTRAINT leads_attempts_check CHECK (contact_attempts >= 0) NOT VALID;\nCOMMIT;\nALTER TABLE leads VALIDATE CONSTRAINT leads_attempts_check;\n-- migrate:down\nSELECT 1;\n")])

    func check(_ input: AuditInput, _ context: RuleContext) -> [Finding] {
        let analysis = context.migrations(input)
        // The report orders findings by location and message, so the three kinds can come apart.
        return constraintsValidatedAtOnce(analysis) + columnsValidatedAtOnce(analysis) + validatedInSameTransaction(analysis)
    }

    /// ADD CONSTRAINT … FOREIGN KEY / CHECK without NOT VALID on an existing table.
    private func constraintsValidatedAtOnce(_ analysis: MigrationAnalysis) -> [Finding] {
        analysis.shared(AddedConstraints.self).compactMap { constraint in
            guard let type = constraint.type, let kind = Self.kinds[type], !constraint.notValid else { return nil }
            let name = constraint.name.map { " \($0)" } ?? ""
            return finding("\(kind)\(name) on \(constraint.table) is validated at once: every row is checked while writes\(kind == "CHECK" ? " and reads" : "") wait. Add it NOT VALID and VALIDATE it in a later migration.",
                           at: constraint.statement.location, fix: ConstraintFixText.notValid(constraint))
        }
    }

    /// ADD COLUMN … REFERENCES / CHECK on an existing table.
    private func columnsValidatedAtOnce(_ analysis: MigrationAnalysis) -> [Finding] {
        analysis.shared(AddedColumns.self).compactMap { column in
            guard let kind = column.constraintTypes.compactMap({ Self.kinds[$0] }).first else { return nil }
            return finding("Column \(column.table).\(column.name ?? "?") is added with a \(kind), validated against every row under ACCESS EXCLUSIVE. Add the column, then the constraint NOT VALID, then VALIDATE it later.",
                           at: column.statement.location, fix: kind == "FOREIGN KEY" ? ConstraintFixText.columnThenNotValid(column) : nil)
        }
    }

    /// VALIDATE CONSTRAINT in the transaction that added the constraint NOT VALID.
    private func validatedInSameTransaction(_ analysis: MigrationAnalysis) -> [Finding] {
        // Only the files with a VALIDATE in a transaction, in order.
        var files: [FileAnalysis] = []
        for (file, statement) in analysis.upStatements(withAlterCommands: [.validateConstraint])
        where statement.inTransaction && files.last !== file {
            files.append(file)
        }
        var findings: [Finding] = []
        for file in files {
            let statements = file.up?.statements ?? []
            for block in TransactionBlocks.ranges(statements)
            where statements[block].contains(where: { $0.targetExistedBefore && $0.hasAlterCommand(.validateConstraint) }) {
                validatedInSameTransaction(statements[block], into: &findings)
            }
        }
        return findings
    }

    /// VALIDATE CONSTRAINT in the transaction that added the constraint NOT VALID, in one block.
    private func validatedInSameTransaction(_ block: ArraySlice<SQLStatement>, into findings: inout [Finding]) {
        guard block.first?.inTransaction == true else { return }
        var addedNotValid: Set<String> = []
        for statement in block where statement.targetExistedBefore {
            let table = statement.targetTable ?? ""
            for (command, subtype) in zip(statement.alterCommands, statement.alterSubtypes) {
                if subtype == .addConstraint {
                    let constraint = command[.def].node(.constraint)
                    if constraint[.skipValidation].bool, let name = constraint[.conname].string {
                        addedNotValid.insert("\(table).\(name)")
                    }
                } else if subtype == .validateConstraint, let name = command[.name].string,
                          addedNotValid.contains("\(table).\(name)") {
                    findings.append(finding("VALIDATE CONSTRAINT \(name) runs \(statement.transaction.explanation), the one that added it NOT VALID: the scan still runs under the ADD's strong lock. Validate in a separate migration.",
                                            at: statement.location))
                }
            }
        }
    }

    private static let kinds: [PG.ConstrType: String] = [.foreign: "FOREIGN KEY", .check: "CHECK"]
}
