/// Identifiers longer than PostgreSQL keeps (63 bytes).
struct IdentifierTooLong: Rule {
    static let description = RuleDescription(
        id: "identifier-too-long", category: .migration, severity: .medium,
        summary: "An identifier longer than 63 bytes, which PostgreSQL silently truncates.",
        why: """
        PostgreSQL keeps NAMEDATALEN - 1 = 63 bytes of a name and drops the rest with only a NOTICE: \
        the table, column, index or constraint is created under a different name than the one written. \
        Code, ORMs and later migrations comparing names with the catalog (pg_indexes, information_schema, \
        error messages naming a constraint) don't find it, and two long names sharing their first 63 \
        bytes collide ("relation already exists"). The limit is in bytes of UTF-8: a name with accented \
        or non-Latin letters reaches it with fewer characters. Each name is reported once per file.
        """,
        fix: """
        Shorten the name to 63 bytes or less, keeping the distinctive part first:
          CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_consents_patient_purpose_active
              ON consents (patient_id, purpose) WHERE revoked_at IS NULL;
        """,
        bad: [.migration("CREATE INDEX IF NOT EXISTS idx_consents_patient_id_purpose_granted_at_where_revoked_at_is_null ON consents (patient_id);")],
        good: [.migration("CREATE INDEX IF NOT EXISTS idx_consents_patient_purpose_active ON consents (patient_id);")])

    func check(_ input: AuditInput, _ context: RuleContext) -> [Finding] {
        context.migrations(input).files.flatMap { file -> [Finding] in
            var reported: Set<String> = []
            return (file.up?.statements ?? []).flatMap { statement -> [Finding] in
                IdentifierScanner.longIdentifiers(in: statement.text).compactMap { identifier in
                    guard reported.insert(identifier.name).inserted else { return nil }
                    let kept = IdentifierScanner.truncated(identifier.name)
                    return finding("Identifier \"\(identifier.name)\" is \(identifier.byteCount) bytes; PostgreSQL keeps 63: \"\(kept)\".",
                                   at: Self.location(of: identifier, in: statement))
                }
            }
        }
    }

    /// The identifier's own line and column (the statement may span many lines).
    private static func location(of identifier: IdentifierScanner.Identifier, in statement: SQLStatement) -> Location {
        let before = statement.text.utf8.prefix(identifier.offset)
        let lines = before.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        let lastLine = lines.last.map { String(decoding: $0, as: UTF8.self).count } ?? 0
        let line = statement.line + lines.count - 1
        let column = lines.count == 1 ? statement.column + lastLine : lastLine + 1
        return Location(file: statement.file, line: line, column: column)
    }
}
