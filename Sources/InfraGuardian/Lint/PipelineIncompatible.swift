extension PipelineIncompatibleStatement {
    /// The pipeline-incompatible statement `node` is, or nil (`ANALYZE` is a `VacuumStmt` too, and
    /// runs in a transaction).
    init?(kind: PG.NodeKind, node: JSONValue) {
        switch kind {
        case .indexStmt where node[.concurrent].bool: self = .createIndexConcurrently
        case .reindexStmt where node[.params].containsOption(.concurrently): self = .reindexConcurrently
        case .vacuumStmt where node[.isVacuumcmd].bool: self = .vacuum
        case .alterSystemStmt: self = .alterSystem
        case .clusterStmt: self = .cluster
        case .dropStmt where node[.concurrent].bool: self = .dropIndexConcurrently
        default: return nil
        }
    }
}

extension SQLStatement {
    /// The statement as the Supabase CLI classifies it (see `SupabaseCLIVersion`).
    public var pipelineIncompatible: PipelineIncompatibleStatement? { PipelineIncompatibleStatement(kind: kind, node: node) }
}
