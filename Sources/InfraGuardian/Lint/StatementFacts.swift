/// Cheap questions rules ask of every statement before looking closer: answered from what
/// `SQLStatement` already holds, without reading the parse tree or building arrays.
extension SQLStatement {
    /// True when one of the `ALTER TABLE` commands has this subtype (`AT_SetNotNull`...): a test
    /// to run before `alterCommands(_:)`, which builds an array.
    func hasAlterCommand(_ subtype: String) -> Bool {
        alterSubtypes.contains { $0 == subtype }
    }
}

extension TransactionBlocks {
    /// The blocks of `split`, as ranges of positions in `statements`: for rules that look into the
    /// blocks of many files without copying them.
    static func ranges(_ statements: [SQLStatement]) -> [Range<Int>] {
        var ranges: [Range<Int>] = []
        var start = 0
        for (position, statement) in statements.enumerated() {
            if position > start {
                let last = statements[position - 1]
                if !last.inTransaction || last.transaction != statement.transaction {
                    ranges.append(start..<position)
                    start = position
                }
            }
            if statement.closesTransactionBlock {
                ranges.append(start..<(position + 1))
                start = position + 1
            }
        }
        if start < statements.count { ranges.append(start..<statements.count) }
        return ranges
    }
}

extension SQLStatement {
    /// `COMMIT`, `ROLLBACK`, `PREPARE TRANSACTION`, with or without `AND CHAIN`: where `split` ends a block.
    fileprivate var closesTransactionBlock: Bool {
        guard kind == "TransactionStmt" else { return false }
        let transactionKind = node["kind"]
        return transactionKind.isString("TRANS_STMT_COMMIT") || transactionKind.isString("TRANS_STMT_ROLLBACK")
            || transactionKind.isString("TRANS_STMT_PREPARE")
    }
}

extension MigrationAnalysis {
    /// The up statements of several kinds, in `upStatements` order: for rules that look at a few
    /// kinds, so they skip the other statements without visiting them.
    func upStatements(kinds: [String]) -> [(file: FileAnalysis, statement: SQLStatement)] {
        var wanted = [Bool](repeating: false, count: upStatements.count)
        for kind in kinds {
            for position in upStatementPositions(kind: kind) { wanted[position] = true }
        }
        return upStatements.indices.compactMap { wanted[$0] ? upStatements[$0] : nil }
    }
}

