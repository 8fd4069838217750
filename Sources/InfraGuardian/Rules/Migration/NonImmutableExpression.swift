/// A generated column, index expression or index predicate calling a function that is not IMMUTABLE.
struct NonImmutableExpression: Rule {
    static let description = RuleDescription(
        id: "non-immutable-expression", category: .migration, severity: .high,
        summary: "A generated column or an index expression or predicate calls a function that is not IMMUTABLE: PostgreSQL rejects the statement.",
        finds: """
        `GENERATED ALWAYS AS (…) STORED`, `CREATE INDEX` expressions and `WHERE` predicates calling `now()`, \
        `current_date`/`current_timestamp`/`localtimestamp`/`current_user`…, `clock_timestamp()`, \
        `statement_timestamp()`, `transaction_timestamp()`, `timeofday()`, `random()`, `gen_random_uuid()`, \
        `uuid_generate_v1()`/`v4()`, `nextval()`, `currval()`, `current_setting()`, `txid_current()`, one-argument `age()`; \
        casts are not judged
        """,
        why: """
        A generated column and an index are computed once and stored: their expression must give the same \
        result for the same row forever, so PostgreSQL accepts only IMMUTABLE functions there and fails the \
        migration with "generation expression is not immutable" or "functions in index expression (predicate) \
        must be marked IMMUTABLE". `now()` in a partial index does not mean "recent rows": it is rejected.
        """,
        fix: """
        Store the value instead (a plain column with DEFAULT now(), or set by a trigger), or index a \
        constant: a partial index on `created_at >= '2024-01-01'` rebuilt from time to time instead of \
        `WHERE created_at > now() - interval '30 days'`.
        """,
        bad: [.migration("CREATE INDEX IF NOT EXISTS idx_leads_recent ON leads (created_at) WHERE created_at > now() - interval '30 days';"),
              .migration("CREATE TABLE IF NOT EXISTS leads (id bigint PRIMARY KEY, created_on date GENERATED ALWAYS AS (current_date) STORED);"),
              .migration("CREATE UNIQUE INDEX IF NOT EXISTS idx_leads_token ON leads ((md5(random()::text)));")],
        good: [.migration("CREATE INDEX IF NOT EXISTS idx_leads_recent ON leads (created_at) WHERE created_at > '2024-01-01';"),
               .migration("CREATE TABLE IF NOT EXISTS leads (id bigint PRIMARY KEY, created_at timestamptz NOT NULL DEFAULT now(), email text, email_lower text GENERATED ALWAYS AS (lower(email)) STORED);"),
               .migration("CREATE INDEX IF NOT EXISTS idx_leads_day ON leads ((created_at::date));")])

    func check(_ input: AuditInput, _ context: RuleContext) -> [Finding] {
        let analysis = context.migrations(input)
        var findings: [Finding] = []
        for (_, statement) in analysis.upStatements(kinds: [.createStmt, .alterTableStmt, .indexStmt]) {
            let table = statement.targetTable ?? "?"
            switch statement.kind {
            case .indexStmt:
                let name = statement.createIndex?.name.map { "Index \($0) on \(table)" } ?? "An index on \(table)"
                let expressions = statement.node[.indexParams].array.map { $0.node(.indexElem)[.expr] }
                let inKeys = expressions.flatMap(Self.nonImmutableCalls)
                if !inKeys.isEmpty {
                    findings.append(finding("\(name) calls \(Self.list(inKeys)) in its key: PostgreSQL rejects it (\"functions in index expression must be marked IMMUTABLE\").",
                                            at: statement.location))
                }
                let inPredicate = Self.nonImmutableCalls(statement.node[.whereClause])
                if !inPredicate.isEmpty {
                    findings.append(finding("\(name) calls \(Self.list(inPredicate)) in its WHERE: PostgreSQL rejects it (\"functions in index predicate must be marked IMMUTABLE\").",
                                            at: statement.location))
                }
            default:
                for column in statement.columnDefinitions where column.origin != .alterType {
                    for constraint in column.definition[.constraints].array.map({ $0.node(.constraint) })
                    where constraint[.contype].equals(PG.ConstrType.generated) {
                        let calls = Self.nonImmutableCalls(constraint[.rawExpr])
                        guard !calls.isEmpty else { continue }
                        findings.append(finding("Generated column \(column.qualifiedName) calls \(Self.list(calls)): PostgreSQL rejects it (\"generation expression is not immutable\").",
                                                at: statement.location))
                    }
                }
            }
        }
        return findings
    }

    static func list(_ calls: [String]) -> String {
        var seen: Set<String> = []
        return calls.filter { seen.insert($0).inserted }.joined(separator: ", ")
    }

    /// Built-in functions that are VOLATILE or STABLE (pg_proc.provolatile), by name: none has an
    /// immutable overload, except `age`, whose two-argument form on timestamps is.
    static let notImmutable: Set<String> = [
        "now", "clock_timestamp", "statement_timestamp", "transaction_timestamp", "timeofday",
        "random", "random_normal", "gen_random_uuid", "uuidv4", "uuidv7", "uuid_generate_v1", "uuid_generate_v1mc",
        "uuid_generate_v4", "gen_random_bytes", "nextval", "currval", "lastval", "setval", "current_setting",
        "txid_current", "txid_current_if_assigned", "pg_current_xact_id", "pg_backend_pid",
    ]

    /// Schemas where those names are the built-in (or extension) functions, not a user's own.
    private static let builtinSchemas: Set<String> = ["pg_catalog", "public", "extensions"]

    /// The calls in an expression that are not immutable: `now()`, `current_date`…
    static func nonImmutableCalls(_ expression: JSONValue) -> [String] {
        guard expression.exists else { return [] }
        var calls: [String] = []
        for call in expression.descendants(named: .funcCall) {
            let names = SQLStatement.names(call[.funcname]) ?? []
            guard let name = names.last, names.count == 1 || names.first.map(builtinSchemas.contains) == true else { continue }
            let arguments = call[.args].array.count
            if notImmutable.contains(name) || (name == "age" && arguments == 1) { calls.append("\(name)()") }
        }
        for value in expression.descendants(named: .sqlValueFunction) {
            // SVFOP_CURRENT_TIMESTAMP_N → current_timestamp: every SQLValueFunction is STABLE.
            guard var name = value[.op].string?.lowercased(), name.hasPrefix("svfop_") else { continue }
            name.removeFirst("svfop_".count)
            if name.hasSuffix("_n") { name.removeLast(2) }
            calls.append(name)
        }
        return calls
    }
}
