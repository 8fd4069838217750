/// CREATE DOMAIN with a CHECK or NOT NULL constraint.
struct BanCreateDomainWithConstraint: Rule {
    static let description = RuleDescription(
        id: "ban-create-domain-with-constraint", category: .migration, severity: .low,
        summary: "CREATE DOMAIN with a CHECK or NOT NULL constraint: put the constraint on the columns.",
        finds: "`CREATE DOMAIN` with a `CHECK`/`NOT NULL` constraint",
        why: """
        A domain's constraint is hard to change online: ALTER DOMAIN … ADD CONSTRAINT checks every \
        column of every table using the domain while holding locks, and there is no way to change it \
        table by table. A NOT NULL domain is not even enforced everywhere (an outer join or a column \
        added without a default yields NULLs of the domain). A CHECK on each column is validated and \
        changed per table, with NOT VALID when the table is large.
        """,
        fix: """
        Use a plain domain (or the base type) and constrain the columns:
          CREATE DOMAIN currency_code AS text;
          ALTER TABLE cases ADD CONSTRAINT cases_currency_check CHECK (currency ~ '^[A-Z]{3}$') NOT VALID;
        """,
        bad: [.migration("CREATE DOMAIN currency_code AS text CHECK (VALUE ~ '^[A-Z]{3}$');")],
        good: [.migration("CREATE DOMAIN currency_code AS text;")])

    func check(_ input: AuditInput, _ context: RuleContext) -> [Finding] {
        context.migrations(input).upStatements(kind: .createDomainStmt).compactMap { _, statement in
            guard statement.kind == .createDomainStmt else { return nil }
            let constrained = statement.node[.constraints].array.contains { constraint in
                [PG.ConstrType.check, .notnull].contains { constraint.node(.constraint)[.contype].equals($0) }
            }
            guard constrained else { return nil }
            let name = SQLStatement.names(statement.node[.domainname])?.joined(separator: ".") ?? "?"
            return finding("CREATE DOMAIN \(name) with a constraint: changing it later locks every table using the domain.",
                           at: statement.location)
        }
    }
}
