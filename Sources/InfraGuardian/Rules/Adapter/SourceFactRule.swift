/// The facts of one kind that the collection found in the adapters' code (see `SourceFacts`).
extension AuditInput {
    func sourceFacts(_ kind: AdapterGraph.SourceFact.Kind) -> [(graph: AdapterGraph, fact: AdapterGraph.SourceFact)] {
        guard let graph = adapters else { return [] }
        return graph.facts.filter { $0.kind == kind }.map { (graph, $0) }
    }
}
