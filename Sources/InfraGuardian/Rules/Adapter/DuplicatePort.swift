/// The same port name declared in several files.
struct DuplicatePort: Rule {
    static let description = RuleDescription(
        id: "duplicate-port", category: .adapter, severity: .low,
        summary: "A port is declared in more than one place.",
        finds: "a port interface name declared in two or more files (a package's port re-declared locally, or copied between packages)",
        why: """
        Two declarations drift: an adapter implements one, the use case depends on the other, and \
        TypeScript's structural typing keeps compiling until a method is added to only one of them.
        """,
        fix: "Keep the port in the application layer's ports and import it everywhere else.",
        bad: [.source([AdapterExamples.port, ("packages/domain/src/repositories/lead-repository.port.ts",
                                              "export interface LeadRepositoryPort {\n  findById(id: string): Promise<unknown>;\n}\n")],
                      at: .line(1))],
        good: [.source([AdapterExamples.port, AdapterExamples.adapter])])

    func check(_ input: AuditInput, _ context: RuleContext) -> [Finding] {
        input.sourceFacts(.duplicatePort).map { graph, fact in
            finding("Port \(fact.symbol) is declared here and in \(fact.detail).",
                    at: graph.location(of: fact),
                    fix: "Keep one declaration of \(fact.symbol) (the application layer's) and import it from \(fact.detail) instead of re-declaring it.")
        }
    }
}
