/// Fix texts written for one statement: its real names, in the form its file's framework runs.
enum FixText {
    /// `up` (a `statement` PostgreSQL refuses in a transaction block) moved where it runs outside
    /// any, as the file's framework writes it: dbmate `transaction:false` sections, a Supabase file of
    /// its own (no dbmate markers) when the configured CLI runs it standalone, psql with no BEGIN.
    /// - Parameter statement: nil for a statement no Supabase CLI runs standalone (`DETACH PARTITION
    ///   … CONCURRENTLY`).
    static func standalone(_ up: String, down: String?, file: MigrationFile, statement: PipelineIncompatibleStatement?,
                           supabaseCLI: SupabaseCLIVersion) -> String {
        switch file.kind {
        case .dbmate:
            var lines = ["-- migrate:up transaction:false", up]
            if let down { lines += ["-- migrate:down transaction:false", down] }
            return "Move it to a migration of its own that runs outside a transaction:\n"
                + lines.map { "  " + $0 }.joined(separator: "\n")
        case .supabase:
            guard let statement else {
                return "The Supabase CLI runs every migration file in a transaction and runs only CREATE INDEX CONCURRENTLY, "
                    + "REINDEX CONCURRENTLY, VACUUM, ALTER SYSTEM, CLUSTER and DROP INDEX CONCURRENTLY outside it: run this "
                    + "statement with psql outside the migrations:\n  " + up
            }
            if supabaseCLI.runsStandalone(statement) {
                return "Move it to a migration file of its own holding only this statement (the Supabase CLI "
                    + "\(supabaseCLI.isLatest ? "" : "\(supabaseCLI) ")runs \(statement.rawValue) outside the file's transaction, "
                    + "so a file of its own keeps the other statements atomic):\n  " + up
            }
            let needed = SupabaseCLIVersion.firstRelease(runningStandalone: statement)
            return "The Supabase CLI \(supabaseCLI) runs each file in one transaction, where PostgreSQL rejects "
                + "\(statement.rawValue). Upgrade the CLI to \(needed) or later (`migrations.supabase_cli`) and give the "
                + "statement a migration file of its own, or run it with psql outside the migrations:\n  " + up
        case .psql:
            return "Run it on its own, with no BEGIN … COMMIT around it (psql without `--single-transaction` runs each "
                + "statement in autocommit):\n  " + up
        }
    }

    /// "Add `SET name = value;` …" placed where it covers `statement` in its file's framework and
    /// block: the first statement of a dbmate up section or of a Supabase file, `SET LOCAL` right
    /// after an explicit BEGIN, before a DO block or a lone statement.
    static func addSetting(_ assignment: String, before statement: SQLStatement, file: MigrationFile) -> String {
        switch statement.transaction {
        case .explicit(let line):
            return "Add `SET LOCAL \(assignment);` right after the BEGIN at line \(line)"
        case .migrationTool(.dbmate), .implicitMultiStatement:
            return "Add `SET \(assignment);` as the first statement of the up section (the line after `-- migrate:up`)"
        case .migrationTool(.supabase), .migrationTool(.psql):
            return "Add `SET \(assignment);` as the first statement of \(PathName.last(of: file.path))"
        case .none:
            return "Add `SET \(assignment);` before line \(statement.line)"
        case .doBlock(let line):
            return "Add `SET \(assignment);` before the DO block at line \(line)"
        }
    }

    /// The statement's text with comments dropped and white space made single spaces, without its `;`.
    static func oneLine(_ statement: SQLStatement) -> String {
        let text = statement.withTextBytes { String(decoding: $0, as: UTF8.self) }
        var line = NormalizedStatement.text(text)
        while line.hasSuffix(";") || line.hasSuffix(" ") { line.removeLast() }
        return line
    }

    /// `CREATE [UNIQUE] INDEX …` rewritten as `CREATE [UNIQUE] INDEX CONCURRENTLY IF NOT EXISTS name ON
    /// [ONLY] table …` (`only`: nil keeps what the statement says). Nil when its text cannot be split
    /// at `ON`.
    static func indexDefinition(_ statement: SQLStatement, concurrently: Bool, only: Bool? = nil,
                                table: String? = nil, name: String? = nil) -> String? {
        guard let index = statement.createIndex, let indexName = name ?? index.name else { return nil }
        let text = oneLine(statement)
        guard let on = text.range(of: " ON ", options: .caseInsensitive) else { return nil }
        var rest = text[on.upperBound...].drop { $0 == " " }
        let hadOnly = rest.lowercased().hasPrefix("only ")
        if hadOnly { rest = rest.dropFirst(5) }
        // Past the table name (possibly schema-qualified or quoted) to the key list or USING.
        let afterTable = rest.firstIndex { $0 == " " || $0 == "(" } ?? rest.endIndex
        let tail = rest[afterTable...].drop { $0 == " " }
        // The table as the statement spells it (schema-qualified, quoted), unless another is asked for.
        let target = table ?? String(rest[..<afterTable])
        guard !target.isEmpty else { return nil }
        let qualifiedOnly = (only ?? hadOnly) ? "ONLY " : ""
        return "CREATE \(index.isUnique ? "UNIQUE " : "")INDEX \(concurrently ? "CONCURRENTLY " : "")IF NOT EXISTS "
            + "\(indexName) ON \(qualifiedOnly)\(target) \(tail);"
    }

    /// A destructive statement written so the tool accepts it once it is really wanted: the steps
    /// first, then the breaking-change comment and the approval on the lines above the statement.
    static func approved(_ rule: String, change: String, statement: String, steps: [String]) -> String {
        let numbered = steps.enumerated().map { "\($0.offset + 1). \($0.element)" }
        return (numbered + ["\(steps.count + 1). Then, in a migration of its own, with the reason above it:",
                            "     -- Breaking: \(change): <why, and the code change that shipped before it>",
                            "     -- infra-guardian:approve \(rule) <why nothing needs it any more>",
                            "     \(statement)"]).joined(separator: "\n")
    }

    /// A concurrent index build on a table this file creates, rewritten as a plain build: nobody else
    /// can see the new table, so the plain build blocks no one and needs no file of its own.
    static func plainIndexOnNewTable(_ statement: SQLStatement) -> (table: String, definition: String)? {
        guard statement.kind == .indexStmt, statement.targetCreatedInFile, let table = statement.targetTable,
              let plain = indexDefinition(statement, concurrently: false) else { return nil }
        return (table, plain)
    }

    /// `a`, `a and b`, `a, b and c`: names in a message.
    static func list(_ items: [String]) -> String {
        guard let last = items.last else { return "" }
        return items.count == 1 ? last : items.dropLast().joined(separator: ", ") + " and " + last
    }
}
