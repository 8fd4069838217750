import CPgQuery
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// PostgreSQL's own parser (libpg_query, PG 15 grammar). Errors and split results are copied out
/// of C memory and freed before returning; a parse tree stays in libpg_query's buffer, owned and
/// freed by its `JSONDocument`, so callers never hold libpg_query pointers.
enum PgQuery {
    /// A parser error: PostgreSQL's message and the 0-based *byte* offset it points at, if any.
    struct ParseError: Error, Equatable {
        var message: String
        var byteOffset: Int?
    }

    /// One statement's byte range in the input, as libpg_query reports it (leading trivia included).
    struct Span: Equatable {
        var location: Int
        var length: Int
    }

    /// Parses `bytes` (UTF-8; a NUL byte reads as a space) into libpg_query's JSON parse tree. Text nested deeper than
    /// `NestingGuard.limit` is refused before the parser sees it; deep text under the limit is
    /// parsed on a `LargeStack` thread, so no statement can overflow the stack.
    static func parse(_ bytes: ArraySlice<UInt8>) -> Result<JSONDocument, ParseError> {
        let nesting = NestingGuard.estimate(bytes)
        if nesting.depth > NestingGuard.limit { return .failure(tooDeep(nesting)) }
        if nesting.depth > NestingGuard.inlineLimit { return LargeStack.run { parseNow(bytes) } }
        return parseNow(bytes)
    }

    /// What PostgreSQL answers as "stack depth limit exceeded", said before parsing.
    static func tooDeep(_ nesting: NestingGuard.Estimate) -> ParseError {
        ParseError(message: "statement too deeply nested for the parser (more than \(NestingGuard.limit) levels of "
                       + "parentheses or chained operators; PostgreSQL answers such a statement with \"stack depth limit exceeded\")",
                   byteOffset: nesting.offset)
    }

    private static func parseNow(_ bytes: ArraySlice<UInt8>) -> Result<JSONDocument, ParseError> {
        withCString(bytes) { pointer in
            let result = pg_query_parse(pointer)
            if let error = result.error {
                defer { pg_query_free_parse_result(result) }
                return .failure(parseError(error.pointee, in: bytes))
            }
            guard let tree = result.parse_tree else {
                pg_query_free_parse_result(result)
                return .success(JSONDocument(bytes: []))
            }
            // The document owns a copy of libpg_query's JSON; the C result is freed at once.
            defer { pg_query_free_parse_result(result) }
            let length = strlen(tree)
            return .success(JSONDocument(bytes: tree.withMemoryRebound(to: UInt8.self, capacity: length) {
                Array(UnsafeBufferPointer(start: $0, count: length))
            }))
        }
    }

    /// Parses a `DO` or `CREATE FUNCTION` statement's PL/pgSQL body with libpg_query's PL/pgSQL
    /// parser: a JSON list of `PLpgSQL_function` trees (statement line numbers count from the line
    /// the body's opening quote is on).
    static func parsePLpgSQL(_ bytes: ArraySlice<UInt8>) -> Result<JSONDocument, ParseError> {
        let nesting = NestingGuard.estimate(bytes)
        if nesting.depth > NestingGuard.limit { return .failure(tooDeep(nesting)) }
        if nesting.depth > NestingGuard.inlineLimit { return LargeStack.run { parsePLpgSQLNow(bytes) } }
        return parsePLpgSQLNow(bytes)
    }

    private static func parsePLpgSQLNow(_ bytes: ArraySlice<UInt8>) -> Result<JSONDocument, ParseError> {
        withCString(bytes) { pointer in
            let result = pg_query_parse_plpgsql(pointer)
            defer { pg_query_free_plpgsql_parse_result(result) }
            if let error = result.error { return .failure(parseError(error.pointee, in: bytes)) }
            guard let tree = result.plpgsql_funcs else { return .success(JSONDocument(bytes: [])) }
            let length = strlen(tree)
            return .success(JSONDocument(bytes: tree.withMemoryRebound(to: UInt8.self, capacity: length) {
                Array(UnsafeBufferPointer(start: $0, count: length))
            }))
        }
    }

    /// Splits with the scanner, which works on text the grammar rejects (the fallback after a syntax error).
    static func splitWithScanner(_ bytes: ArraySlice<UInt8>) -> Result<[Span], ParseError> {
        withCString(bytes) { pointer in
            let result = pg_query_split_with_scanner(pointer)
            defer { pg_query_free_split_result(result) }
            if let error = result.error {
                return .failure(parseError(error.pointee, in: bytes))
            }
            var spans: [Span] = []
            for index in 0..<Int(result.n_stmts) {
                guard let statement = result.stmts?[index]?.pointee else { continue }
                spans.append(Span(location: Int(statement.stmt_location), length: Int(statement.stmt_len)))
            }
            return .success(spans)
        }
    }

    static func withCString<T>(_ bytes: ArraySlice<UInt8>, _ body: (UnsafePointer<CChar>) -> T) -> T {
        // A NUL inside the text would end the C string there and hide the rest from the parser: it
        // is read as a space (the `nul-byte-in-migration` rule reports it).
        var text = bytes.map { $0 == 0 ? UInt8(ascii: " ") : $0 }
        text.append(0)
        return text.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { characters in
                characters.baseAddress.map(body) ?? "".withCString(body)
            }
        }
    }

    /// PostgreSQL reports `cursorpos` as a 1-based *character* position; rules and locations need bytes.
    private static func parseError(_ error: PgQueryError, in bytes: ArraySlice<UInt8>) -> ParseError {
        let message = error.message.map { String(cString: $0) } ?? "syntax error"
        guard error.cursorpos > 0 else { return ParseError(message: message, byteOffset: nil) }
        var characters = 0
        for offset in bytes.indices where bytes[offset] & 0xC0 != 0x80 {
            if characters == Int(error.cursorpos) - 1 { return ParseError(message: message, byteOffset: offset - bytes.startIndex) }
            characters += 1
        }
        return ParseError(message: message, byteOffset: bytes.count)
    }
}
