/// Where the up sections create tables, in `upStatements` order: whether a table was partitioned
/// when a later statement ran (a rename-and-swap re-creates a name as partitioned), and the
/// partitions the migrations attached to it.
struct TableCreations: Sendable {
    private struct Creation: Sendable {
        let position: Int
        let partitioned: Bool
    }
    private var creations: [String: [Creation]] = [:]
    /// Parent → partitions created with `PARTITION OF`, in order.
    private(set) var partitions: [String: [String]] = [:]

    /// The table's last creation before `position` was `PARTITION BY` (false when unknown).
    func isPartitioned(_ table: String, before position: Int) -> Bool {
        creations[table]?.last { $0.position < position }?.partitioned ?? false
    }
}

extension TableCreations: SharedFact {
    static func compute(_ analysis: MigrationAnalysis) -> TableCreations {
        var result = TableCreations()
        for position in analysis.upStatementPositions(kind: .createStmt) {
            let statement = analysis.upStatements[position].statement
            guard let table = statement.targetTable else { continue }
            result.creations[table, default: []].append(Creation(position: position,
                                                                 partitioned: statement.node[.partspec].exists))
            if statement.node[.partbound].exists,
               let parent = statement.node[.inhRelations][0].node(.rangeVar)[.relname].string {
                result.partitions[parent, default: []].append(table)
            }
        }
        return result
    }
}
