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
            let statements = Array(tree.root["stmts"].array)
            guard statements.count == 1 else {
                return .failure(QueryRefusal("must be exactly one statement (found \(statements.count))"))
            }
            var statement = statements[0]["stmt"]
            if statement.nodeKind == "ExplainStmt" {
                statement = statement.nodeBody["query"]
            }
            guard statement.nodeKind == "SelectStmt" else {
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
            switch key {
            case "InsertStmt", "UpdateStmt", "DeleteStmt", "MergeStmt":
                return QueryRefusal("modifies data (\(describe(key)) in a WITH clause)")
            case "intoClause":
                return QueryRefusal("uses SELECT … INTO, which creates a table")
            case "lockingClause":
                return QueryRefusal("uses SELECT … FOR UPDATE/SHARE, which takes row locks")
            case "FuncCall":
                shape.functions.insert(qualifiedName(value["funcname"]))
            case "A_Expr":
                if value["name"].exists { shape.operators.insert(qualifiedName(value["name"])) }
            case "RangeVar":
                let name = value["relname"].string ?? ""
                shape.relations.insert(value["schemaname"].string.map { "\($0).\(name)" } ?? name)
            case "CommonTableExpr":
                if let name = value["ctename"].string { ctes.insert(name) }
            case "ColumnRef":
                let fields = Array(value["fields"].array)
                if let last = fields.last?["String"]["sval"].string, sensitiveColumns.contains(last) {
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
        list.array.compactMap { $0["String"]["sval"].string }.joined(separator: ".")
    }

    /// `CopyStmt` as the SQL a user wrote.
    static func describe(_ kind: String?) -> String {
        switch kind {
        case "CopyStmt": return "COPY"
        case "VariableSetStmt": return "SET"
        case "VariableShowStmt": return "SHOW"
        case "TransactionStmt": return "transaction control (BEGIN, COMMIT, ROLLBACK…)"
        case "DoStmt": return "DO"
        case "CallStmt": return "CALL"
        case "LockStmt": return "LOCK"
        case "NotifyStmt": return "NOTIFY"
        case "ListenStmt": return "LISTEN"
        case "InsertStmt": return "INSERT"
        case "UpdateStmt": return "UPDATE"
        case "DeleteStmt": return "DELETE"
        case "MergeStmt": return "MERGE"
        case "ExplainStmt": return "EXPLAIN"
        case "ExecuteStmt": return "EXECUTE"
        case "PrepareStmt": return "PREPARE"
        case "CreateTableAsStmt": return "CREATE TABLE AS"
        case let kind?:
            let words = kind.hasSuffix("Stmt") ? String(kind.dropLast(4)) : kind
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
