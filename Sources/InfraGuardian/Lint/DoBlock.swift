import Foundation

/// The SQL a `DO` block runs, read with libpg_query's PL/pgSQL parser: its static statements, the
/// strings its `EXECUTE`s run when they are constants (or `format()` of constants), and where the
/// rest is (SQL built at run time, which no linter can read).
struct DoBlockBody {
    /// A statement the block runs.
    struct Inner {
        var sql: String
        /// Byte offset in the DO statement's text of the statement itself (static SQL) or of its EXECUTE.
        var offset: Int
        /// True when `sql` is the file's own text at `offset` (static SQL); false for an EXECUTE'd string.
        var verbatim: Bool
    }

    var statements: [Inner] = []
    /// Byte offsets (in the DO statement's text) of EXECUTEs whose SQL is built at run time.
    var unreadable: [Int] = []
    /// Why nothing of the body could be read (another language, the PL/pgSQL parser's error).
    var failure: String?

    /// The body of `statement` (a `DoStmt` body `node` over `bytes`, the statement's text).
    init(bytes: ArraySlice<UInt8>, node: JSONValue) {
        let options = node[.args].array.map { $0.node(.defElem) }
        let language = options.first { $0[.defname].isString("language") }?[.arg].node(.string)[.sval].string
        if let language, language.lowercased() != "plpgsql" {
            failure = "the DO block is LANGUAGE \(SecretMasking.quotable(language, limit: 40))"
            return
        }
        let body = options.first { $0[.defname].isString("as") }?[.arg].node(.string)[.sval].string ?? ""
        let tree: JSONDocument
        switch PgQuery.parsePLpgSQL(bytes) {
        case .success(let document): tree = document
        case .failure(let error):
            failure = "libpg_query's PL/pgSQL parser: \(SecretMasking.quotable(error.message, limit: 200))"
            return
        }
        let text = Array(bytes)
        let lines = Self.bodyLineStarts(text, body: Array(body.utf8))
        var cursor = 0
        Self.walk(tree.root) { kind, statement in
            let line = statement[member: PLpgSQL.Field.lineno.rawValue].int ?? 1
            let lineStart = lines[min(max(line, 1), lines.count) - 1]
            let holder = statement[member: kind == .execSQL ? PLpgSQL.Field.sqlstmt.rawValue : PLpgSQL.Field.query.rawValue]
            let expression = holder[member: PLpgSQL.Node.expr.rawValue]
            let query = expression[member: PLpgSQL.Field.query.rawValue].string ?? ""
            let from = max(lineStart, cursor)
            switch kind {
            case .execSQL:
                let offset = Self.find(Array(query.utf8.prefix(40)), in: text, from: from, caseInsensitive: false)
                    ?? Self.firstToken(text, from: lineStart)
                cursor = offset + 1
                statements.append(Inner(sql: query, offset: offset, verbatim: true))
            case .dynExecute:
                let offset = Self.find(Array("execute".utf8), in: text, from: from, caseInsensitive: true)
                    ?? Self.firstToken(text, from: lineStart)
                cursor = offset + 1
                if let sql = ConstantSQL.evaluate(query) {
                    statements.append(Inner(sql: sql, offset: offset, verbatim: false))
                } else {
                    unreadable.append(offset)
                }
            case .expr:
                break
            }
        }
    }

    /// Byte offset of each body line's start: line 1 is the line of the body's opening quote.
    private static func bodyLineStarts(_ text: [UInt8], body: [UInt8]) -> [Int] {
        // A dollar-quoted body is in the text as it is; a quoted one ('' doubled) starts at the first quote.
        let start = find(body.isEmpty ? [] : Array(body.prefix(64)), in: text, from: 2, caseInsensitive: false)
            ?? text.firstIndex(of: UInt8(ascii: "'")).map { $0 + 1 } ?? 0
        var starts = [start]
        for offset in start..<text.count where text[offset] == UInt8(ascii: "\n") { starts.append(offset + 1) }
        return starts
    }

    /// The PL/pgSQL statements that run SQL, in the order they are written.
    private static func walk(_ value: JSONValue, depth: Int = 0, _ visit: (PLpgSQL.Node, JSONValue) -> Void) {
        guard depth < 200 else { return }
        if value.isArray {
            for element in value.array { walk(element, depth: depth + 1, visit) }
            return
        }
        guard value.isObject else { return }
        for (key, member) in value.members {
            if let kind = PLpgSQL.Node(rawValue: key), kind == .execSQL || kind == .dynExecute {
                visit(kind, member)
            } else {
                walk(member, depth: depth + 1, visit)
            }
        }
    }

    private static func find(_ needle: [UInt8], in text: [UInt8], from: Int, caseInsensitive: Bool) -> Int? {
        guard !needle.isEmpty, from >= 0, text.count >= needle.count, from <= text.count - needle.count else { return nil }
        func lower(_ byte: UInt8) -> UInt8 { caseInsensitive && byte >= 65 && byte <= 90 ? byte + 32 : byte }
        for start in from...(text.count - needle.count) {
            var matched = true
            for (position, byte) in needle.enumerated() where lower(text[start + position]) != byte {
                matched = false
                break
            }
            if matched { return start }
        }
        return nil
    }

    private static func firstToken(_ text: [UInt8], from: Int) -> Int {
        var offset = from
        while offset < text.count, text[offset] == UInt8(ascii: " ") || text[offset] == UInt8(ascii: "\t") { offset += 1 }
        return min(offset, max(text.count - 1, 0))
    }
}

/// The names of libpg_query's PL/pgSQL tree this code reads (`pg_query_parse_plpgsql`'s JSON).
enum PLpgSQL {
    enum Node: String {
        case execSQL = "PLpgSQL_stmt_execsql"
        case dynExecute = "PLpgSQL_stmt_dynexecute"
        case expr = "PLpgSQL_expr"
    }

    enum Field: String {
        case lineno, sqlstmt, query
    }
}

/// The value of a PL/pgSQL expression when it is a constant string: literals, `||` of constants,
/// casts of them, `format()` of a constant format with constant arguments (`%s`, `%I`, `%L`, `%%`).
enum ConstantSQL {
    static func evaluate(_ expression: String) -> String? {
        guard case .success(let tree) = PgQuery.parse(Array("SELECT \(expression)".utf8)[...]),
              let span = StatementSpan.all(in: tree).first, span.kind == .selectStmt else { return nil }
        let targets = span.node[.targetList].array
        guard targets.count == 1 else { return nil }
        return value(targets[0].node(.resTarget)[.val])
    }

    private static func value(_ node: JSONValue, depth: Int = 0) -> String? {
        guard depth < 64, let kind = node.nodeKind else { return nil }
        let body = node.nodeBody
        switch kind {
        case .aConst:
            return body[.sval][.sval].string
        case .typeCast:
            return value(body[.arg], depth: depth + 1)
        case .aExpr:
            guard body[.name].array.last?.node(.string)[.sval].string == "||",
                  let left = value(body[.lexpr], depth: depth + 1), let right = value(body[.rexpr], depth: depth + 1) else { return nil }
            return left + right
        case .funcCall:
            guard body[.funcname].array.last?.node(.string)[.sval].string == "format" else { return nil }
            var arguments: [String] = []
            for argument in body[.args].array {
                guard let text = value(argument, depth: depth + 1) else { return nil }
                arguments.append(text)
            }
            guard let format = arguments.first else { return nil }
            return formatted(format, Array(arguments.dropFirst()))
        default:
            return nil
        }
    }

    /// PostgreSQL's `format()` for `%s`, `%I`, `%L` and `%%`; nil for widths, positions or too few arguments.
    static func formatted(_ format: String, _ arguments: [String]) -> String? {
        var result = "", next = 0, percent = false
        for character in format {
            guard percent else {
                if character == "%" { percent = true } else { result.append(character) }
                continue
            }
            percent = false
            if character == "%" { result.append("%"); continue }
            guard "sIL".contains(character), next < arguments.count else { return nil }
            let argument = arguments[next]
            next += 1
            switch character {
            case "I": result += quoteIdentifier(argument)
            case "L": result += quoteLiteral(argument)
            default: result += argument
            }
        }
        return percent ? nil : result
    }
}
