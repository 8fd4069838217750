/// Fixes for constraints added to existing tables, written from the statement's own names.
enum ConstraintFixText {
    /// The statement's table as it spells it: `public.leads`, `leads`, `"Leads"`.
    static func relation(_ statement: SQLStatement) -> String {
        qualified(statement.node[.relation], fallback: statement.targetTable)
    }

    /// A `RangeVar` body as SQL: `public.leads`, `"Leads"`.
    static func qualified(_ rangeVar: JSONValue, fallback: String? = nil) -> String {
        let name = quoteIdentifier(rangeVar[.relname].string ?? fallback ?? "?")
        return rangeVar[.schemaname].string.map { quoteIdentifier($0) + "." + name } ?? name
    }

    static func names(_ list: JSONValue) -> [String] {
        list.array.compactMap { $0.node(.string)[.sval].string }
    }

    /// `FOREIGN KEY (a, b) REFERENCES t (x, y) ON DELETE CASCADE`, from a `Constraint` body.
    static func foreignKey(_ constraint: JSONValue, columns: [String]? = nil) -> String {
        let from = (columns ?? names(constraint[.fkAttrs])).map(quoteIdentifier).joined(separator: ", ")
        let target = qualified(constraint[.pktable])
        let to = names(constraint[.pkAttrs]).map(quoteIdentifier).joined(separator: ", ")
        var text = "FOREIGN KEY (\(from)) REFERENCES \(target)" + (to.isEmpty ? "" : " (\(to))")
        if constraint[.fkMatchtype].isString("f") { text += " MATCH FULL" }
        let actions = ["a": nil, "r": "RESTRICT", "c": "CASCADE", "n": "SET NULL", "d": "SET DEFAULT"]
        if let code = constraint[.fkDelAction].string, let action = actions[code] ?? nil { text += " ON DELETE \(action)" }
        if let code = constraint[.fkUpdAction].string, let action = actions[code] ?? nil { text += " ON UPDATE \(action)" }
        return text
    }

    /// The name PostgreSQL would give an unnamed constraint: `leads_clinic_id_fkey`, `leads_email_key`.
    static func defaultName(table: String, columns: [String], suffix: String) -> String {
        String(([table] + columns + [suffix]).joined(separator: "_").prefix(63))
    }

    /// The constraint added NOT VALID now and validated in a later migration, named so VALIDATE finds it.
    static func notValid(_ added: AddedConstraint) -> String {
        let table = relation(added.statement)
        let isForeignKey = added.type == .foreign
        let columns = names(added.node[.fkAttrs])
        let name = added.name ?? defaultName(table: added.table, columns: isForeignKey ? columns : [], suffix: isForeignKey ? "fkey" : "check")
        let add: String
        if isForeignKey {
            add = "ALTER TABLE \(table) ADD CONSTRAINT \(quoteIdentifier(name)) \(foreignKey(added.node)) NOT VALID;"
        } else if added.isOnlyCommand, added.name != nil {
            add = FixText.oneLine(added.statement) + " NOT VALID;"
        } else {
            add = "ALTER TABLE \(table) ADD CONSTRAINT \(quoteIdentifier(name)) CHECK (…) NOT VALID;   -- its CHECK expression"
        }
        return notValidSteps(add: add, table: table, name: name, statement: added.statement)
    }

    /// A column added with REFERENCES: the column alone, then its foreign key NOT VALID, validated later.
    static func columnThenNotValid(_ column: AddedColumn) -> String? {
        guard let columnName = column.name,
              let reference = column.definition[.constraints].array.map({ $0.node(.constraint) })
                .first(where: { $0[.contype].decoded(PG.ConstrType.self) == .foreign }),
              let type = ColumnType(column.definition[.typeName]) else { return nil }
        let table = relation(column.statement)
        let name = reference[.conname].string ?? defaultName(table: column.table, columns: [columnName], suffix: "fkey")
        let add = "ALTER TABLE \(table) ADD COLUMN IF NOT EXISTS \(quoteIdentifier(columnName)) \(type.sql);   -- instant\n  "
            + "ALTER TABLE \(table) ADD CONSTRAINT \(quoteIdentifier(name)) "
            + "\(foreignKey(reference, columns: [columnName])) NOT VALID;"
        return notValidSteps(add: add, table: table, name: name, statement: column.statement)
    }

    private static func notValidSteps(add: String, table: String, name: String, statement: SQLStatement) -> String {
        let guardNote = statement.doBlockLine.map { " (inside the DO block at line \($0), under its guard)" } ?? ""
        let timeout = statement.lockTimeoutSet || statement.doBlockLine != nil ? "" : "SET lock_timeout = '5s';\n  "
        return "Add it NOT VALID\(guardNote): instant, and new rows are checked from then on:\n  \(timeout)\(add)\n"
            + "Then, in a later migration (VALIDATE takes SHARE UPDATE EXCLUSIVE: reads and writes go on while it scans):\n"
            + "  ALTER TABLE \(table) VALIDATE CONSTRAINT \(quoteIdentifier(name));"
    }

    /// A UNIQUE or PRIMARY KEY constraint: its index built concurrently first, then attached.
    static func uniqueUsingIndex(_ added: AddedConstraint, file: MigrationFile, supabaseCLI: SupabaseCLIVersion) -> String? {
        let keys = names(added.node[.keys])
        guard !keys.isEmpty else { return nil }
        let table = relation(added.statement)
        let isPrimary = added.type == .primary
        let name = added.name ?? defaultName(table: added.table, columns: isPrimary ? [] : keys, suffix: isPrimary ? "pkey" : "key")
        let quotedName = quoteIdentifier(name)
        let including = names(added.node[.including]).map(quoteIdentifier)
        let index = "CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS \(quotedName) ON \(table) "
            + "(\(keys.map(quoteIdentifier).joined(separator: ", ")))"
            + (including.isEmpty ? "" : " INCLUDE (" + including.joined(separator: ", ") + ")") + ";"
        let build = FixText.standalone(index, down: "DROP INDEX CONCURRENTLY IF EXISTS \(quotedName);", file: file,
                                       statement: .createIndexConcurrently, supabaseCLI: supabaseCLI)
        let outOfBlock = "Build the index first" + (added.statement.doBlockLine.map { ", outside the DO block at line \($0)" } ?? "") + ". "
        return outOfBlock + build + "\nThen, in the next migration (a brief ACCESS EXCLUSIVE, no index build):\n"
            + "  SET lock_timeout = '5s';\n"
            + "  ALTER TABLE \(table) ADD CONSTRAINT \(quotedName) \(isPrimary ? "PRIMARY KEY" : "UNIQUE") USING INDEX \(quotedName);"
            + (isPrimary ? "\nThe key columns must be NOT NULL first (see set-not-null)." : "")
    }
}
