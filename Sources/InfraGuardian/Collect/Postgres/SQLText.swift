import CPgQuery
import Foundation

/// Statement text through libpg_query (the PostgreSQL 15 grammar), for what leaves the audit:
/// normalized text only, and only plain SELECTs handed to EXPLAIN.
enum SQLText {
    /// Constants replaced by `$n`, as PostgreSQL would (passwords in role statements included).
    /// nil when the text does not parse: the caller then withholds it rather than risk a value.
    /// Text nested too deeply for the parser is withheld too; deep text runs on a large stack.
    static func normalized(_ sql: String) -> String? {
        let depth = NestingGuard.estimate(Array(sql.utf8)[...]).depth
        guard depth <= NestingGuard.limit else { return nil }
        return depth > NestingGuard.inlineLimit ? LargeStack.run { normalizeNow(sql) } : normalizeNow(sql)
    }

    private static func normalizeNow(_ sql: String) -> String? {
        let result = pg_query_normalize(sql)
        defer { pg_query_free_normalize_result(result) }
        guard result.error == nil, let text = result.normalized_query else { return nil }
        return String(cString: text)
    }

    /// True when `sql` is exactly one SELECT (no data-modifying CTE, no second statement), so that
    /// planning it with EXPLAIN reads nothing and writes nothing. Parsed with the linter's libpg_query
    /// wrapper and JSON reader.
    static func isSingleSelect(_ sql: String) -> Bool {
        guard case .success(let tree) = PgQuery.parse(Array(sql.utf8)[...]) else { return false }
        do {
            let statements = tree.root[.stmts].array
            guard statements.count == 1 else { return false }
            let wrapper = statements[0][.stmt]
            guard wrapper.nodeKind == .selectStmt else { return false }
            return !containsModification(wrapper.nodeBody)
        }
    }

    /// A CTE may hide an INSERT/UPDATE/DELETE inside a SELECT; `SELECT ... FOR UPDATE` takes row locks.
    private static func containsModification(_ node: JSONValue) -> Bool {
        if node.isObject {
            for (key, value) in node.members {
                if key == PG.Field.lockingClause.rawValue { return true }
                if let kind = PG.NodeKind(rawValue: key), [.insertStmt, .updateStmt, .deleteStmt, .mergeStmt].contains(kind) { return true }
                if containsModification(value) { return true }
            }
        } else if node.isArray {
            return node.array.contains { containsModification($0) }
        }
        return false
    }

    /// At most `limit` characters, cut at a whitespace boundary when one is near, with an ellipsis.
    static func shortened(_ text: String, to limit: Int) -> String {
        let oneLine = text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        guard oneLine.count > limit, limit > 1 else { return oneLine }
        var cut = String(oneLine.prefix(limit - 1))
        if let space = cut.lastIndex(of: " "), cut.distance(from: space, to: cut.endIndex) < 20 {
            cut = String(cut[..<space])
        }
        return cut + "…"
    }
}
