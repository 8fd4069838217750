/// A persistence adapter that implements no port: the application depends on the adapter itself.
struct AdapterMissingPort: Rule {
    static let description = RuleDescription(
        id: "adapter-missing-port", category: .adapter, severity: .medium,
        summary: "A persistence adapter implements no port of the application layer.",
        finds: "a class that talks to PostgreSQL or Redis with no `implements` clause",
        why: """
        In the hexagonal layout the application layer owns an interface (the port) and the \
        infrastructure implements it. An adapter with no port is used directly: the use cases import \
        infrastructure, cannot be tested without a database, and the adapter's contract is whatever it \
        happens to do.
        """,
        fix: """
        Declare the port in the application layer and implement it:
          // packages/application/src/ports/consent-repository.port.ts
          export interface ConsentRepositoryPort { findByPatient(patientId: PatientId): Promise<Consent[]>; }
          // the adapter
          export class PostgresConsentRepository implements ConsentRepositoryPort { … }
        """,
        bad: [.source([AdapterExamples.port, ("packages/infrastructure/src/adapters/postgres-consent-repository.ts", """
            import type { Pool } from 'pg';
            export class PostgresConsentRepository {
              constructor(private readonly pool: Pool) {}
              async list() { return (await this.pool.query('SELECT * FROM consents')).rows; }
            }
            """)], at: .line(2))],
        good: [.source([AdapterExamples.port, AdapterExamples.adapter, AdapterExamples.test])])

    func check(_ input: AuditInput, _ context: RuleContext) -> [Finding] {
        guard let graph = input.adapters else { return [] }
        return graph.adapters.filter(\.ports.isEmpty).map { adapter in
            let port = "\(adapter.entity)RepositoryPort"
            return finding("\(adapter.name) (\(adapter.kind.rawValue)) implements no port: the application layer depends on it directly.",
                           at: Location(file: graph.displayPath(adapter.file), line: adapter.line),
                           fix: "Declare `export interface \(port)` with the operations \(adapter.name) offers in the application "
                               + "layer's ports, then `export class \(adapter.name) implements \(port)`; the use cases take the port.")
        }
    }
}
