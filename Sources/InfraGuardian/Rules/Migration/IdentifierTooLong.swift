import Foundation

/// Identifiers longer than PostgreSQL keeps (63 bytes).
struct IdentifierTooLong: Rule {
    static let description = RuleDescription(
        id: "identifier-too-long", category: .migration, severity: .medium,
        summary: "An identifier longer than 63 bytes, which PostgreSQL silently truncates.",
        finds: "an identifier over 63 bytes of UTF-8, which PostgreSQL silently truncates",
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
        bad: [.migration("CREATE INDEX IF NOT EXISTS idx_consents_patient_id_purpose_granted_at_where_revoked_at_is_null ON consents (patient_id);", at: .line(2, column: 28))],
        good: [.migration("CREATE INDEX IF NOT EXISTS idx_consents_patient_purpose_active ON consents (patient_id);")])

    func check(_ input: AuditInput, _ context: RuleContext) -> [Finding] {
        context.migrations(input).files.flatMap { file -> [Finding] in
            var reported: Set<String> = []
            return (file.up?.statements ?? []).flatMap { statement -> [Finding] in
                guard statement.withTextBytes(Self.mightHoldLongIdentifier) else { return [] }
                return IdentifierScanner.longIdentifiers(in: statement.text).compactMap { identifier in
                    guard reported.insert(identifier.name).inserted else { return nil }
                    let kept = IdentifierScanner.truncated(identifier.name)
                    return finding("Identifier \"\(identifier.name)\" is \(identifier.byteCount) bytes; PostgreSQL keeps 63: \"\(kept)\".",
                                   at: Self.location(of: identifier, in: statement))
                }
            }
        }
    }

    /// What any identifier longer than 63 bytes leaves in the text, read from the bytes without
    /// following the SQL syntax: a run of more than 63 name bytes (an unquoted name), or for a quoted
    /// name two adjacent double quotes (an escaped `"` inside it) or two successive double quotes more
    /// than 59 bytes apart (the name, and its quotes when the scanner keeps them). A statement
    /// without any of them is skipped before `IdentifierScanner` scans it; nearly all are.
    static func mightHoldLongIdentifier(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        hasLongNameRun(bytes) || hasLongOrEscapedQuotedName(bytes)
    }

    /// A run of more than 63 bytes that can be part of a name (letters, digits, `_`, `$`,
    /// non-ASCII). Such a run covers every 64th byte from wherever no run can have started yet, so
    /// only those bytes are probed, and from a name byte the run is walked back.
    private static func hasLongNameRun(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let length = IdentifierScanner.maximumBytes + 1
        var start = 0  // no such run starts before `start`
        while start + length <= bytes.count {
            let probe = start + length - 1
            guard isNameByte(bytes[probe]) else {
                start = probe + 1
                continue
            }
            var first = probe
            while first > start, isNameByte(bytes[first - 1]) { first -= 1 }
            if first == start { return true }
            start = first  // the byte before `first` ends every earlier window
        }
        return false
    }

    private static func isNameByte(_ byte: UInt8) -> Bool {
        byte >= 0x80 || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "$")
            || (byte | 0x20 >= UInt8(ascii: "a") && byte | 0x20 <= UInt8(ascii: "z"))
            || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
    }

    /// Two double quotes side by side, or two successive ones with more than 59 bytes between them.
    private static func hasLongOrEscapedQuotedName(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = bytes.baseAddress else { return false }
        var previous: Int?
        var from = 0
        while from < bytes.count, let found = memchr(base + from, Int32(UInt8(ascii: "\"")), bytes.count - from) {
            let quote = base.distance(to: found.assumingMemoryBound(to: UInt8.self))
            if let previous, quote - previous == 1 || quote - previous - 1 > 59 { return true }
            previous = quote
            from = quote + 1
        }
        return false
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
