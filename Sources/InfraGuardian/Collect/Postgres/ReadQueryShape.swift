import Foundation

/// What a probe or rule-pack query is, read with libpg_query before anything reaches the server.
/// Both come from `.infra-guardian.yml` and rule packs, which a pull request can change, so only one
/// plain read passes: one `SELECT` / `WITH … SELECT` / `VALUES` / `TABLE` (or `EXPLAIN` of one), no
/// data-modifying CTE, no `SELECT … INTO`, no row locks. The functions, operators and relations it
/// names are collected for `QueryGuard`, which judges them against the catalog.
struct ReadQueryShape: Equatable, Sendable {
    /// Function names as written (`set_config`, `pg_catalog.set_config`), folded as PostgreSQL folds them.
    var functions: Set<String> = []
    /// Operator names as written (`+`, `public.===`).
    var operators: Set<String> = []
    /// Relations read (`users`, `public.users`), common table expressions left out.
    var relations: Set<String> = []
    /// Columns that hold statement texts or sampled column values even in catalog views
    /// (`pg_stat_activity.query`, `pg_stats.most_common_vals`) are named.
    var namesSensitiveColumns = false

    /// Catalog columns whose values are other sessions' SQL text or samples of user data.
    static let sensitiveColumns: Set<String> = [
        "query", "statement", "most_common_vals", "most_common_elems", "histogram_bounds",
        "stavalues1", "stavalues2", "stavalues3", "stavalues4", "stavalues5", "last_query",
    ]

    /// Reads `sql`, or says why it is not a plain read.
    static func read(_ sql: String) -> Result<ReadQueryShape, QueryRefusal> {
        let bytes = Array(sql.utf8)
        guard !bytes.contains(0) else { return .failure(QueryRefusal("contains a NUL byte")) }
        guard bytes.count <= maximumBytes else {
            return .failure(QueryRefusal("is longer than \(maximumBytes / 1024) KB"))
        }
        let tree: JSONDocument
        switch PgQuery.parse(bytes[...]) {
        case .failure(let error): return .failure(QueryRefusal("does not parse: \(error.message)"))
        case .success(let parsed): tree = parsed
        }
        do {
            let statements = Array(tree.root[.stmts].array)
            guard statements.count == 1 else {
                return .failure(QueryRefusal("must be exactly one statement (found \(statements.count))"))
            }
            var statement = statements[0][.stmt]
            if statement.nodeKind == .explainStmt {
                statement = statement.nodeBody[.query]
            }
            guard statement.nodeKind == .selectStmt else {
                return .failure(QueryRefusal("must be a SELECT, WITH … SELECT, VALUES or TABLE, not \(describe(statement.nodeKind))"))
            }
            var shape = ReadQueryShape()
            var commonTableExpressions = Set<String>()
            if let refusal = walk(statement, into: &shape, ctes: &commonTableExpressions) { return .failure(refusal) }
            shape.relations.subtract(commonTableExpressions)
            return .success(shape)
        }
    }

    /// Real probes and pack queries are a few lines; a megabyte of SQL is an attack on the parser.
    static let maximumBytes = 64 * 1024

    private static func walk(_ node: JSONValue, into shape: inout ReadQueryShape, ctes: inout Set<String>) -> QueryRefusal? {
        if node.isArray {
            for element in node.array {
                if let refusal = walk(element, into: &shape, ctes: &ctes) { return refusal }
            }
            return nil
        }
        guard node.isObject else { return nil }
        for (key, value) in node.members {
            switch PG.Field(rawValue: key) {
            case .intoClause: return QueryRefusal("uses SELECT … INTO, which creates a table")
            case .lockingClause: return QueryRefusal("uses SELECT … FOR UPDATE/SHARE, which takes row locks")
            default: break
            }
            switch PG.NodeKind(rawValue: key) {
            case .insertStmt, .updateStmt, .deleteStmt, .mergeStmt:
                return QueryRefusal("modifies data (\(describe(PG.NodeKind(rawValue: key))) in a WITH clause)")
            case .funcCall:
                shape.functions.insert(qualifiedName(value[.funcname]))
            case .aExpr:
                if value[.name].exists { shape.operators.insert(qualifiedName(value[.name])) }
            case .rangeVar:
                let name = value[.relname].string ?? ""
                shape.relations.insert(value[.schemaname].string.map { "\($0).\(name)" } ?? name)
            case .commonTableExpr:
                if let name = value[.ctename].string { ctes.insert(name) }
            case .columnRef:
                let fields = Array(value[.fields].array)
                if let last = fields.last?.node(.string)[.sval].string, sensitiveColumns.contains(last) {
                    shape.namesSensitiveColumns = true
                }
            default:
                break
            }
            if let refusal = walk(value, into: &shape, ctes: &ctes) { return refusal }
        }
        return nil
    }

    /// `["pg_catalog", "set_config"]` as `pg_catalog.set_config`.
    private static func qualifiedName(_ list: JSONValue) -> String {
        list.array.compactMap { $0.node(.string)[.sval].string }.joined(separator: ".")
    }

    /// `CopyStmt` as the SQL a user wrote.
    static func describe(_ kind: PG.NodeKind?) -> String {
        switch kind {
        case .copyStmt: return "COPY"
        case .variableSetStmt: return "SET"
        case .variableShowStmt: return "SHOW"
        case .transactionStmt: return "transaction control (BEGIN, COMMIT, ROLLBACK…)"
        case .doStmt: return "DO"
        case .callStmt: return "CALL"
        case .lockStmt: return "LOCK"
        case .notifyStmt: return "NOTIFY"
        case .listenStmt: return "LISTEN"
        case .insertStmt: return "INSERT"
        case .updateStmt: return "UPDATE"
        case .deleteStmt: return "DELETE"
        case .mergeStmt: return "MERGE"
        case .explainStmt: return "EXPLAIN"
        case .executeStmt: return "EXECUTE"
        case .prepareStmt: return "PREPARE"
        case .createTableAsStmt: return "CREATE TABLE AS"
        case let kind?:
            let name = kind.rawValue
            let words = name.hasSuffix("Stmt") ? String(name.dropLast(4)) : name
            return "a \(words) statement"
        case nil: return "an unknown statement"
        }
    }
}

/// Why a probe or pack query was not sent.
struct QueryRefusal: Error, Equatable, Sendable, CustomStringConvertible {
    var reason: String
    init(_ reason: String) { self.reason = reason }
    var description: String { reason }
}
