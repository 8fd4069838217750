/// char(n) / character(n) columns.
struct BanCharField: Rule {
    static let description = RuleDescription(
        id: "ban-char-field", category: .migration, severity: .low,
        summary: "A column of type char(n) / character(n): use text (with a CHECK on its length if needed).",
        finds: "a `char(n)` / `character(n)` column",
        why: """
        char(n) pads every value with spaces to n characters: the padding is stored, trailing spaces \
        are ignored in some comparisons but not others (LIKE, concatenation, casts to text), and it is \
        no faster than text or varchar in PostgreSQL. A fixed length is better said with a CHECK, which \
        can change later without rewriting the table. The internal one-byte type "char" is not flagged.
        """,
        fix: """
        Use text and state the rule as a constraint:
          ALTER TABLE cases ADD COLUMN IF NOT EXISTS currency text NOT NULL DEFAULT 'EUR'
              CONSTRAINT cases_currency_check CHECK (currency ~ '^[A-Z]{3}$');
        """,
        bad: [.migration("ALTER TABLE cases ADD COLUMN IF NOT EXISTS currency char(3);")],
        good: [.migration("ALTER TABLE cases ADD COLUMN IF NOT EXISTS currency text CHECK (length(currency) = 3);")])

    func check(_ input: AuditInput, _ context: RuleContext) -> [Finding] {
        ColumnTypes.definitions(context.migrations(input), ofTypes: ["bpchar"]).map { statement, column in
            let length = ColumnType(column.definition[.typeName])?.modifiers.first
            let check = length.map { " CHECK (char_length(\(quoteIdentifier(column.column))) <= \($0))" } ?? ""
            return finding("\(ColumnTypes.describe(column, as: "char(n)")): use text with a CHECK on its length.",
                           at: statement.location, fix: ColumnTypes.fix(column, statement, declaration: "text\(check)"))
        }
    }
}
