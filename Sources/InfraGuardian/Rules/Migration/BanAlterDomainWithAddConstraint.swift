/// ALTER DOMAIN … ADD CONSTRAINT (validated) on a domain that existed before the migration.
struct BanAlterDomainWithAddConstraint: Rule {
    static let description = RuleDescription(
        id: "ban-alter-domain-with-add-constraint", category: .migration, severity: .medium,
        summary: "ALTER DOMAIN … ADD CONSTRAINT scans every table using the domain under lock.",
        finds: "`ALTER DOMAIN … ADD CONSTRAINT` without `NOT VALID` on an existing domain",
        why: """
        Adding a validated constraint to a domain checks every row of every column of that type, in all \
        tables at once, holding a SHARE lock on each of them: writes to all those tables wait for the \
        whole scan, and one bad row anywhere fails the migration. A domain created earlier in the same \
        file is not flagged, nor a constraint added NOT VALID.
        """,
        fix: """
        Add it NOT VALID (only new values are checked), then validate in a later migration, which scans
        without blocking writes:
          ALTER DOMAIN currency_code ADD CONSTRAINT currency_code_check CHECK (VALUE ~ '^[A-Z]{3}$') NOT VALID;
          -- later migration:
          ALTER DOMAIN currency_code VALIDATE CONSTRAINT currency_code_check;
        Better still, constrain the columns themselves (see ban-create-domain-with-constraint).
        """,
        bad: [.migration("ALTER DOMAIN currency_code ADD CONSTRAINT currency_code_check CHECK (VALUE ~ '^[A-Z]{3}$');")],
        good: [.migration("ALTER DOMAIN currency_code ADD CONSTRAINT currency_code_check CHECK (VALUE ~ '^[A-Z]{3}$') NOT VALID;")])

    func check(_ input: AuditInput, _ context: RuleContext) -> [Finding] {
        context.migrations(input).upStatements(kind: .alterDomainStmt).compactMap { file, statement in
            // subtype "C" is ADD CONSTRAINT (AlterDomainStmt's one-letter codes).
            guard statement.node[.subtype].equals(PG.AlterDomainType.addConstraint),
                  !statement.node[.def].node(.constraint)[.skipValidation].bool,
                  let name = SQLStatement.lastName(statement.node[.typeName]),
                  let up = file.up, !up.created(SchemaObject(.type, name), before: statement.index) else { return nil }
            return finding("ALTER DOMAIN \(name) ADD CONSTRAINT without NOT VALID checks every table using the domain under lock.",
                           at: statement.location)
        }
    }
}
