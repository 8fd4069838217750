/// INSERT … ON CONFLICT (cols) on a table with no unique key on exactly those columns.
struct OnConflictWithoutUnique: ReadsAppliedSchema {
    static let description = RuleDescription(
        id: "on-conflict-without-unique", category: .migration, severity: .high,
        summary: "INSERT … ON CONFLICT (columns) names columns no unique index or constraint covers exactly: the statement fails.",
        finds: """
        `INSERT … ON CONFLICT (a, b)` on a table the migrations created, when the replayed schema has no \
        PRIMARY KEY, UNIQUE constraint or non-partial unique index on exactly those columns (in any order) at \
        that point; not judged: `ON CONFLICT ON CONSTRAINT`, conflict targets with expressions or WHERE, tables \
        made with LIKE, INHERITS, PARTITION OF or AS, tables with an exclusion constraint, tables a DO block mentions
        """,
        why: """
        ON CONFLICT (columns) must find an arbiter: a unique index or constraint on exactly those columns. \
        Without one PostgreSQL fails the statement ("there is no unique or exclusion constraint matching the ON \
        CONFLICT specification"), whether or not a row conflicts. A unique key on more or fewer columns does not \
        match, nor does a partial unique index unless the ON CONFLICT repeats its WHERE.
        """,
        fix: """
        Add the unique constraint first (`ALTER TABLE t ADD CONSTRAINT t_a_b_key UNIQUE (a, b);`, or a unique \
        index built concurrently on a large table), or name the columns of an existing key in ON CONFLICT.
        """,
        bad: [.migration("CREATE TABLE IF NOT EXISTS settings (id bigint PRIMARY KEY, clinic_id bigint NOT NULL, key text NOT NULL, value text);\nINSERT INTO settings (id, clinic_id, key, value) VALUES (1, 1, 'locale', 'ro') ON CONFLICT (clinic_id, key) DO NOTHING;",
                         at: .line(3))],
        good: [.migration("CREATE TABLE IF NOT EXISTS settings (id bigint PRIMARY KEY, clinic_id bigint NOT NULL, key text NOT NULL, value text, UNIQUE (key, clinic_id));\nINSERT INTO settings (id, clinic_id, key, value) VALUES (1, 1, 'locale', 'ro') ON CONFLICT (clinic_id, key) DO NOTHING;"),
               .migration("INSERT INTO settings (clinic_id, key, value) VALUES (1, 'locale', 'ro') ON CONFLICT (clinic_id, key) DO NOTHING;")])

    func check(_ input: AuditInput, _ context: RuleContext) -> [Finding] {
        let analysis = context.migrations(input)
        let inserts = analysis.upStatements(kind: .insertStmt)
        guard !inserts.isEmpty else { return [] }
        let schema = analysis.shared(AppliedSchema.self)
        // A seed repeats one ON CONFLICT clause on many rows: each distinct clause of a table is parsed
        // once, and a statement whose clause is byte for byte the previous one's reuses it unread.
        var targets: [String: [String]?] = [:]
        var previous: (table: String, tail: [UInt8], columns: [String]?)?
        var findings: [Finding] = []
        for (file, statement) in inserts {
            guard let table = statement.targetTable, schema.keyHistory[table] != nil else { continue }
            let reused = statement.withTextBytes { bytes -> Bool? in
                guard let start = Self.conflictStart(bytes) else { return nil }
                let tail = UnsafeBufferPointer(rebasing: bytes[start...])
                return previous.map { $0.table == table && $0.tail.elementsEqual(tail) } ?? false
            }
            guard let reused else { continue }
            let columns: [String]?
            if reused, let previous {
                columns = previous.columns
            } else {
                guard let clause = Self.conflictClause(statement) else { continue }
                let cacheKey = table + "\u{0}" + clause
                if let cached = targets[cacheKey] { columns = cached } else {
                    columns = Self.conflictColumns(statement)
                    targets[cacheKey] = columns
                }
                let tail = statement.withTextBytes { bytes in Self.conflictStart(bytes).map { Array(bytes[$0...]) } ?? [] }
                previous = (table, tail, columns)
            }
            guard let columns, let keys = schema.keys(of: table, before: ApplyStep(file, statement)),
                  keys.complete, !keys.hasExclusion, !schema.mentionedInOpaqueSQL(table) else { continue }
            let wanted = Set(columns)
            guard !keys.keys.contains(where: { $0.columns == wanted && !$0.partial }) else { continue }
            let partial = keys.keys.first { $0.columns == wanted && $0.partial }
            let note = partial.map { " (the unique index \($0.name ?? "on them") is partial: repeat its WHERE after the column list)" } ?? ""
            findings.append(finding("ON CONFLICT (\(columns.joined(separator: ", "))) on \(table): no unique index or constraint on exactly these columns exists at this point\(note), so PostgreSQL rejects the INSERT.",
                                    at: statement.location,
                                    fix: partial == nil ? "Create the key before this INSERT:\n  ALTER TABLE \(table) ADD CONSTRAINT \(table)_\(columns.joined(separator: "_"))_key UNIQUE (\(columns.joined(separator: ", ")));" : nil))
        }
        return findings
    }

    /// The offset just past the last `conflict` (any case) in the statement's bytes, searched from
    /// the end, where the clause is.
    static func conflictStart(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        let word = Array("conflict".utf8)
        guard bytes.count > word.count else { return nil }
        for offset in stride(from: bytes.count - word.count, through: 0, by: -1)
        where (0..<word.count).allSatisfy({ bytes[offset + $0] | 0x20 == word[$0] }) {
            return offset + word.count
        }
        return nil
    }

    /// The text from `CONFLICT` to its `DO`, lowercased, when the statement has one: a cheap test
    /// before parsing the statement again (data statements keep no tree).
    static func conflictClause(_ statement: SQLStatement) -> String? {
        statement.withTextBytes { bytes -> String? in
            guard let start = conflictStart(bytes) else { return nil }
            let tail = String(decoding: UnsafeBufferPointer(rebasing: bytes[start...]).prefix(400), as: UTF8.self).lowercased()
            return tail.range(of: " do ").map { String(tail[..<$0.lowerBound]) } ?? tail
        }
    }

    /// The plain columns of `ON CONFLICT (…)`; nil for ON CONSTRAINT, no target, expressions or WHERE.
    static func conflictColumns(_ statement: SQLStatement) -> [String]? {
        guard let node = statement.reparsed()?.node else { return nil }
        let infer = node[.onConflictClause][.infer]
        guard infer.exists, !infer[.conname].exists, !infer[.whereClause].exists else { return nil }
        let elements = infer[.indexElems].array
        let columns = elements.compactMap { $0.node(.indexElem)[.name].string }
        return columns.count == elements.count && !columns.isEmpty ? columns : nil
    }
}
