/// One section of a migration file, parsed: its statements in order, the statements PostgreSQL
/// rejected, and its comments.
public struct ParsedSection: Sendable {
    public var role: SectionRole
    public var statements: [SQLStatement]
    public var syntaxErrors: [SQLSyntaxProblem]
    public var comments: [SQLComment]
    /// DO blocks whose SQL could not all be read (built at run time, another language).
    public var unreadDoBlocks: [UnreadDoBlock] = []

    /// True when a `--` or `/* */` comment that is not a waiver or a dbmate marker sits within
    /// `linesAbove` lines before the statement (or on its own lines): the "document breaking
    /// changes" standard of the seed.
    public func hasDocumentation(for statement: SQLStatement, linesAbove: Int = 3) -> Bool {
        comments.contains { comment in
            comment.endLine >= statement.line - linesAbove && comment.line <= statement.endLine
                && !comment.text.isEmpty && WaiverDirective.parse(comment.text) == nil
                && !comment.text.hasPrefix("migrate:")
        }
    }
}

/// A `DO` block of which some SQL is not analysed: EXECUTEs of strings built at run time, or a body
/// the PL/pgSQL parser could not read.
public struct UnreadDoBlock: Sendable, Equatable {
    public var line: Int
    public var column: Int
    /// File lines of the EXECUTEs that are not analysed (empty when `failure` says why nothing was).
    public var executeLines: [Int]
    public var failure: String?
}
