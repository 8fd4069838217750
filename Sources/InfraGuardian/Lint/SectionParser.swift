/// Turns a migration section into `SQLStatement`s with PostgreSQL's parser, tracking what each
/// statement runs under: transaction block, timeouts, tables created earlier in the file.
struct SectionParser {
    /// The Supabase CLI release whose runner Supabase files are read under.
    let supabaseCLI: SupabaseCLIVersion

    init(supabaseCLI: SupabaseCLIVersion) { self.supabaseCLI = supabaseCLI }
    /// Tables created so far in this file (the up section's creations are visible to the down section).
    /// What the up section has created so far (see `FileObjects`).
    private(set) var objects = FileObjects()
    /// How many of the section's syntax errors `objects` has seen (they are applied in file order).
    private var failedSeen = 0

    /// A statement's byte range and parse tree before the file state is attached.
    private struct RawStatement {
        var start: Int
        var end: Int
        var kind: PG.NodeKind
        var node: JSONValue
        /// Owns the tree `node` points into.
        var document: JSONDocument
    }

    /// Sections larger than this are parsed a chunk of statements at a time (`streamed`), so no
    /// parse tree of the whole section is ever built: a 50 MB data seed would make gigabytes of it.
    static let streamThreshold = 4 << 20
    /// About this many bytes of statements per libpg_query call when streaming.
    static let chunkBytes = 1 << 20

    mutating func parse(_ section: MigrationSection, role: SectionRole, file: MigrationFile,
                        preparsed: PreparsedSection? = nil) -> ParsedSection {
        let source = SourceText(bytes: preparsed?.bytes ?? Array(section.text.utf8), firstLine: section.startLine)
        var errors: [SQLSyntaxProblem] = []
        let context = SectionContext(file: file.path, role: role, text: section.text)
        if source.bytes.count > Self.streamThreshold, case .success(let spans) = PgQuery.splitWithScanner(source.bytes[...]) {
            var state = FileState(sectionTransaction: section.transaction, kind: file.kind, statementCount: spans.count,
                                  supabaseCLI: supabaseCLI)
            var statements: [SQLStatement] = []
            var unread: [UnreadDoBlock] = []
            statements.reserveCapacity(spans.count)
            // A streamed section (a data seed of many megabytes) is not followed through its syntax errors.
            failedSeen = 0
            streamed(spans, source: source, file: file.path, role: role, errors: &errors) { item in
                append(item, to: &statements, unread: &unread, source: source, context: context, state: &state, failed: [])
            }
            return ParsedSection(role: role, statements: statements, syntaxErrors: errors, comments: source.comments,
                                 unreadDoBlocks: unread)
        }
        // A large section's first pass made no tree (it is streamed); if the scanner failed, parse it whole.
        let usable = source.bytes.count > Self.streamThreshold ? nil : preparsed
        let raw = rawStatements(source, file: file.path, role: role, errors: &errors, preparsed: usable?.tree,
                                spans: usable?.spans)
        var state = FileState(sectionTransaction: section.transaction, kind: file.kind,
                              statementCount: raw.count + errors.count, supabaseCLI: supabaseCLI)
        var statements: [SQLStatement] = []
        var unread: [UnreadDoBlock] = []
        statements.reserveCapacity(raw.count)
        failedSeen = 0
        let failed = errors.sorted { $0.line < $1.line }
        for item in raw {
            append(item, to: &statements, unread: &unread, source: source, context: context, state: &state, failed: failed)
        }
        return ParsedSection(role: role, statements: statements, syntaxErrors: errors, comments: source.comments,
                             unreadDoBlocks: unread)
    }

    /// The statement, and after a `DO` block the statements it runs (see `DoBlockBody`), each at its
    /// line in the file and in the DO's transaction.
    private mutating func append(_ item: RawStatement, to statements: inout [SQLStatement], unread: inout [UnreadDoBlock],
                                 source: SourceText, context: SectionContext, state: inout FileState,
                                 failed: [SQLSyntaxProblem]) {
        let top = statement(item, index: statements.count, source: source, context: context, state: &state, failed: failed)
        statements.append(top)
        guard item.kind == .doStmt else { return }
        let body = DoBlockBody(bytes: source.bytes[item.start..<item.end], node: item.node)
        // A DO outside any block is a transaction of its own.
        let transaction = top.transaction == .none ? TransactionContext.doBlock(line: top.line) : top.transaction
        var unreadLines = body.unreadable.map { source.position(of: item.start + $0).line }
        for part in body.statements {
            let offset = item.start + part.offset
            let sqlBytes = Array(part.sql.utf8)
            guard case .success(let tree) = PgQuery.parse(sqlBytes[...]) else {
                unreadLines.append(source.position(of: offset).line)
                continue
            }
            let position = source.position(of: offset)
            // Static SQL is the file's own text; an EXECUTE'd string gets a section text of its own.
            let innerContext = part.verbatim ? context : SectionContext(file: context.file, role: context.role, text: part.sql)
            for span in StatementSpan.all(in: tree) {
                let start = span.location, end = span.length > 0 ? min(span.location + span.length, sqlBytes.count) : sqlBytes.count
                let endLine = part.verbatim ? source.position(of: max(offset, offset + end - 1)).line : position.line
                let target = Self.targetTable(kind: span.kind, node: span.node)
                statements.append(SQLStatement(
                    kind: span.kind, node: span.node, document: tree, section: innerContext, line: position.line,
                    column: position.column, endLine: endLine, index: statements.count, transaction: transaction,
                    targetTable: target, targetCreatedInFile: target.map { objects.isNew($0) } ?? false,
                    droppedCreatedInFile: span.kind == .dropStmt && objects.createdAll(droppedBy: span.node),
                    lockTimeoutSet: state.lockTimeout, statementTimeoutSet: state.statementTimeout,
                    byteStart: part.verbatim ? offset + start : start, byteEnd: part.verbatim ? offset + end : end,
                    doBlockLine: top.line))
                // A SET in the block lasts past it; transaction control in a DO is PL/pgSQL's own.
                if span.kind == .variableSetStmt { state.apply(kind: span.kind, node: span.node) }
                objects.apply(kind: span.kind, node: span.node)
            }
        }
        if body.failure != nil || !unreadLines.isEmpty {
            unread.append(UnreadDoBlock(line: top.line, column: top.column, executeLines: unreadLines.sorted(),
                                        failure: body.failure))
        }
    }

    /// The statement with the file state it runs under; then the state and the tables created so
    /// far move past it.
    private mutating func statement(_ item: RawStatement, index: Int, source: SourceText, context: SectionContext,
                                    state: inout FileState, failed: [SQLSyntaxProblem]) -> SQLStatement {
        let start = source.position(of: item.start)
        while failedSeen < failed.count, failed[failedSeen].line < start.line {
            if let text = failed[failedSeen].statementText { objects.applyUnparsed(text) }
            failedSeen += 1
        }
        let endLine = source.position(of: max(item.start, item.end - 1)).line
        let target = Self.targetTable(kind: item.kind, node: item.node)
        let transaction = state.context(kind: item.kind, node: item.node, line: start.line)
        let statement = SQLStatement(
            kind: item.kind, node: item.node, document: item.document, section: context, line: start.line,
            column: start.column, endLine: endLine, index: index, transaction: transaction, targetTable: target,
            targetCreatedInFile: target.map { objects.isNew($0) } ?? false,
            droppedCreatedInFile: item.kind == .dropStmt && objects.createdAll(droppedBy: item.node),
            lockTimeoutSet: state.lockTimeout, statementTimeoutSet: state.statementTimeout,
            byteStart: item.start, byteEnd: item.end)
        state.apply(kind: item.kind, node: item.node)
        objects.apply(kind: item.kind, node: item.node)
        return statement
    }

    /// A large section, split by the scanner, parsed about `chunkBytes` of statements at a time:
    /// each statement is handed to `body` while its chunk's tree is alive, and the tree is freed
    /// before the next chunk is parsed. A statement that keeps its tree (see
    /// `SQLStatement.keepsTree`) is parsed again alone, so it holds its own small tree, not its chunk's.
    private func streamed(_ spans: [PgQuery.Span], source: SourceText, file: String, role: SectionRole,
                          errors: inout [SQLSyntaxProblem], _ body: (RawStatement) -> Void) {
        let count = source.bytes.count
        var first = 0
        while first < spans.count {
            let chunkStart = spans[first].location
            var last = first
            var chunkEnd = min(spans[first].length > 0 ? chunkStart + spans[first].length : count, count)
            while last + 1 < spans.count, chunkEnd - chunkStart < Self.chunkBytes {
                last += 1
                chunkEnd = min(spans[last].length > 0 ? spans[last].location + spans[last].length : count, count)
            }
            let chunk = Array(spans[first...last])
            first = last + 1
            switch PgQuery.parse(source.bytes[chunkStart..<chunkEnd]) {
            case .success(let tree):
                for item in statements(StatementSpan.all(in: tree), in: tree, base: chunkStart, limit: chunkEnd, source: source) {
                    body(SQLStatement.keepsTree(item.kind) ? alone(item, source: source) : item)
                }
            case .failure(let chunkError):
                let before = errors.count
                for span in chunk {
                    for item in parsedAlone(span, source: source, file: file, role: role, errors: &errors) { body(item) }
                }
                if errors.count == before {
                    errors.append(problem(chunkError, base: chunkStart, source: source, file: file, role: role,
                                          statementRange: nil))
                }
            }
        }
    }

    /// `item` with a tree of its own (its statement parsed again alone).
    private func alone(_ item: RawStatement, source: SourceText) -> RawStatement {
        guard case .success(let tree) = PgQuery.parse(source.bytes[item.start..<item.end]),
              let span = StatementSpan.all(in: tree).first else { return item }
        return RawStatement(start: item.start, end: item.end, kind: span.kind, node: span.node, document: tree)
    }

    /// One span of the scanner's split, parsed alone: its statements, or its syntax error.
    private func parsedAlone(_ span: PgQuery.Span, source: SourceText, file: String, role: SectionRole,
                             errors: inout [SQLSyntaxProblem]) -> [RawStatement] {
        let end = span.length > 0 ? span.location + span.length : source.bytes.count
        let slice = source.bytes[span.location..<min(end, source.bytes.count)]
        switch PgQuery.parse(slice) {
        case .success(let tree):
            return statements(StatementSpan.all(in: tree), in: tree, base: span.location, limit: slice.endIndex, source: source)
        case .failure(let error):
            errors.append(problem(error, base: span.location, source: source, file: file, role: role,
                                  statementRange: span.location..<slice.endIndex))
            return []
        }
    }

    /// Parses the whole section at once (fast path); after a syntax error, splits it with the
    /// scanner and parses statement by statement, so one bad statement is one error and the rest
    /// are still linted.
    private func rawStatements(_ source: SourceText, file: String, role: SectionRole,
                               errors: inout [SQLSyntaxProblem],
                               preparsed: Result<JSONDocument, PgQuery.ParseError>?,
                               spans: [StatementSpan]?) -> [RawStatement] {
        let all = source.bytes[...]
        if let spans, case .success(let tree) = preparsed {
            return statements(spans, in: tree, base: 0, limit: source.bytes.count, source: source)
        }
        switch preparsed ?? PgQuery.parse(all) {
        case .success(let tree):
            return statements(StatementSpan.all(in: tree), in: tree, base: 0, limit: source.bytes.count, source: source)
        case .failure(let wholeError):
            guard case .success(let spans) = PgQuery.splitWithScanner(all) else {
                errors.append(problem(wholeError, base: 0, source: source, file: file, role: role, statementRange: nil))
                return []
            }
            var result: [RawStatement] = []
            for span in spans { result += parsedAlone(span, source: source, file: file, role: role, errors: &errors) }
            if errors.isEmpty {
                // The scanner's split hid the error (e.g. a statement spanning a semicolon): keep it.
                errors.append(problem(wholeError, base: 0, source: source, file: file, role: role, statementRange: nil))
            }
            return result
        }
    }

    private func statements(_ spans: [StatementSpan], in tree: JSONDocument, base: Int, limit: Int,
                            source: SourceText) -> [RawStatement] {
        spans.map { span in
            let location = base + span.location
            let rawEnd = span.length > 0 ? min(location + span.length, limit) : limit
            let start = source.skipTrivia(from: location, to: rawEnd)
            let end = source.trimTrivia(before: rawEnd, floor: start)
            return RawStatement(start: start, end: end, kind: span.kind, node: span.node, document: tree)
        }
    }

    private func problem(_ error: PgQuery.ParseError, base: Int, source: SourceText, file: String,
                         role: SectionRole, statementRange: Range<Int>?) -> SQLSyntaxProblem {
        let fallback = statementRange.map { source.skipTrivia(from: $0.lowerBound, to: $0.upperBound) } ?? 0
        let offset = error.byteOffset.map { base + $0 } ?? fallback
        let position = source.position(of: min(offset, source.bytes.count))
        let text = statementRange.map { range -> String in
            let start = source.skipTrivia(from: range.lowerBound, to: range.upperBound)
            return source.text(start..<source.trimTrivia(before: range.upperBound, floor: start))
        }
        return SQLSyntaxProblem(message: error.message, file: file, section: role, line: position.line,
                                column: position.column, statementText: text)
    }

    /// The unqualified table a statement works on; `CREATE TABLE … AS` names it under `into`.
    static func targetTable(kind: PG.NodeKind, node: JSONValue) -> String? {
        if let name = node[.relation][.relname].string { return name }
        if kind == .createTableAsStmt { return node[.into][.rel][.relname].string }
        return nil
    }

    static func createdTable(kind: PG.NodeKind, node: JSONValue) -> String? {
        switch kind {
        case .createStmt: return node[.relation][.relname].string
        case .createTableAsStmt: return node[.into][.rel][.relname].string
        default: return nil
        }
    }
}

/// A section's bytes and libpg_query's result for them, made in the first pass over all files
/// (see `MigrationAnalysis.parseAll`) and used by `SectionParser.parse` in the second.
struct PreparsedSection: Sendable {
    let bytes: [UInt8]
    let tree: Result<JSONDocument, PgQuery.ParseError>
    /// The statements of a tree that parsed, read right after indexing it, while it is still in
    /// the caches (the second pass comes after every file's first).
    let spans: [StatementSpan]?

    init(_ section: MigrationSection) {
        bytes = Array(section.text.utf8)
        // A large section is streamed by `SectionParser.parse` instead (no whole-section tree).
        tree = bytes.count > SectionParser.streamThreshold ? .success(JSONDocument(bytes: [])) : PgQuery.parse(bytes[...])
        if case .success(let document) = tree { spans = StatementSpan.all(in: document) } else { spans = nil }
    }
}

/// One statement of a parse tree: where libpg_query says it is (`stmt_location`, `stmt_len`: 0
/// for "to the end") and its node.
struct StatementSpan: Sendable {
    let location: Int
    let length: Int
    let kind: PG.NodeKind
    let node: JSONValue

    static func all(in tree: JSONDocument) -> [StatementSpan] {
        tree.root[.stmts].array.compactMap { entry in
            let wrapper = entry[.stmt]
            guard let kind = wrapper.nodeKind else { return nil }
            return StatementSpan(location: entry[.stmtLocation].int ?? 0, length: entry[.stmtLen].int ?? 0,
                                 kind: kind, node: wrapper.nodeBody)
        }
    }
}
