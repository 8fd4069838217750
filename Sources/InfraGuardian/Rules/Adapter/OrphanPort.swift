/// A port that no class in the tree implements.
struct OrphanPort: Rule {
    static let description = RuleDescription(
        id: "orphan-port", category: .adapter, severity: .low,
        summary: "A port of the application layer that nothing implements.",
        finds: "an interface with operations in a `ports/` or `repositories/` folder that no class implements",
        why: """
        A port without an adapter is either dead code or implemented somewhere the application cannot \
        see (a class that matches it structurally but does not say `implements`): then a change to the \
        port compiles while the real implementation drifts.
        """,
        fix: "Let the adapter declare `implements <Port>`, or delete the port if nothing uses it.",
        bad: [.source([AdapterExamples.port], at: .line(1))],
        good: [.source([AdapterExamples.port, AdapterExamples.adapter])])

    func check(_ input: AuditInput, _ context: RuleContext) -> [Finding] {
        guard let graph = input.adapters else { return [] }
        return graph.ports.filter(\.implementedBy.isEmpty).map { port in
            finding("Port \(port.name) has no implementation in the source tree.",
                    at: Location(file: graph.displayPath(port.file), line: port.line),
                    fix: "Add `implements \(port.name)` to the class that provides it, or remove \(port.name) if nothing uses it.")
        }
    }
}
