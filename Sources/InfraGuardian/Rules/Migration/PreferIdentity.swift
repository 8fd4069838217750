/// serial / bigserial columns: identity columns are the standard replacement.
struct PreferIdentity: Rule {
    static let description = RuleDescription(
        id: "prefer-identity", category: .migration, severity: .low,
        summary: "A serial/bigserial column: use GENERATED ALWAYS AS IDENTITY.",
        finds: "a `serial`/`bigserial` column (use `GENERATED ALWAYS AS IDENTITY`)",
        why: """
        serial is a macro for a separate sequence plus a DEFAULT nextval(): the sequence has its own \
        owner and grants (inserts fail with "permission denied for sequence" for a role granted only the \
        table), CREATE TABLE … LIKE and some dump/restore paths lose the link, and nothing stops code from \
        writing ids by hand and colliding with the sequence later. An identity column (SQL standard) \
        ties the sequence to the column and, with ALWAYS, rejects hand-written ids.
        """,
        fix: """
        Declare an identity column (bigint, see prefer-bigint-keys):
          CREATE TABLE IF NOT EXISTS lead_imports (
              id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
              ...
          );
        """,
        bad: [.migration("CREATE TABLE IF NOT EXISTS lead_imports (id bigserial PRIMARY KEY, file text);")],
        good: [.migration("CREATE TABLE IF NOT EXISTS lead_imports (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, file text);")])

    static let serialTypes: Set<String> = ["smallserial", "serial2", "serial", "serial4", "bigserial", "serial8"]

    func check(_ input: AuditInput, _ context: RuleContext) -> [Finding] {
        ColumnTypes.definitions(context.migrations(input), ofTypes: Self.serialTypes).compactMap { statement, column in
            guard column.origin != .alterType, let type = column.builtinType, Self.serialTypes.contains(type) else { return nil }
            // bigint whatever the serial's width: a narrower key is prefer-bigint-keys' finding.
            return finding("\(ColumnTypes.describe(column, as: type)): use GENERATED ALWAYS AS IDENTITY.",
                           at: statement.location,
                           fix: ColumnTypes.fix(column, statement, declaration: "bigint GENERATED ALWAYS AS IDENTITY"))
        }
    }
}
