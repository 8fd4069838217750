/// Source files the adapter rules' examples share.
enum AdapterExamples {
    static let port = ("packages/application/src/ports/lead-repository.port.ts",
                       "export interface LeadRepositoryPort {\n  findById(id: string): Promise<unknown>;\n}\n")
    static let adapter = ("packages/infrastructure/src/adapters/postgres-lead-repository.ts", """
        import type { Pool } from 'pg';
        import type { LeadRepositoryPort } from '../../../application/src/ports/lead-repository.port.js';
        export class PostgresLeadRepository implements LeadRepositoryPort {
          constructor(private readonly pool: Pool) {}
          async findById(id: string) { return (await this.pool.query('SELECT id FROM leads WHERE id = $1', [id])).rows[0]; }
        }
        """)
    static let test = ("packages/infrastructure/test/postgres-lead-repository.test.ts",
                       "import { PostgresLeadRepository } from '../src/adapters/postgres-lead-repository.js';\n")
}
