/// Domain or application code that imports a database driver or the infrastructure layer.
struct LayerViolation: Rule {
    static let description = RuleDescription(
        id: "layer-violation", category: .adapter, severity: .medium,
        summary: "Domain or application code imports infrastructure, pg, ioredis or redis.",
        finds: "an import of a database driver (`pg`, `ioredis`, `redis`, …) or of infrastructure code from a `domain` or `application` folder or package (tests aside)",
        why: """
        The inner layers hold the rules of the business; the ports are how they reach the outside. An \
        import of the driver or of an adapter ties them to one database: the use cases cannot be tested \
        without it, a driver upgrade ripples into the domain, and the port stops being the only way out.
        """,
        fix: "Depend on a port the application layer declares, and let the infrastructure implement it and be wired in at the composition root.",
        bad: [.source([("packages/application/src/use-cases/register-lead.ts",
                        "import { Pool } from 'pg';\nexport async function registerLead(pool: Pool) { await pool.query('SELECT 1'); }\n")],
                      at: .line(1))],
        good: [.source([("packages/application/src/use-cases/register-lead.ts",
                         "import type { LeadRepositoryPort } from '../ports/lead-repository.port.js';\nexport async function registerLead(leads: LeadRepositoryPort) {}\n"),
                        AdapterExamples.port])])

    func check(_ input: AuditInput, _ context: RuleContext) -> [Finding] {
        input.sourceFacts(.layerViolation).map { graph, fact in
            finding("\(fact.file) (\(fact.symbol) layer) imports \(fact.detail): the \(fact.symbol) layer depends on infrastructure.",
                    at: graph.location(of: fact),
                    fix: "Replace the import of \(fact.detail) at line \(fact.line) with a port of the application layer; "
                        + "the infrastructure implements it and is passed in where the application is assembled.")
        }
    }
}
