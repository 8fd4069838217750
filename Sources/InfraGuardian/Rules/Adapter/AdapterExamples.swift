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

    /// The transaction pattern the adapter rules' fixes show.
    static let transaction = """
          const client = await this.pool.connect();
          try {
            await client.query('BEGIN');
            …
            await client.query('COMMIT');
          } catch (error) {
            await client.query('ROLLBACK');
            throw error;
          } finally {
            client.release();
          }
        """

    /// An event store's `append`: `BEGIN` before or inside the try, the release in `finally` or after the try.
    static func eventStore(beginInsideTry: Bool, releaseInFinally: Bool) -> (String, String) {
        let begin = "      await client.query('BEGIN');\n"
        let release = releaseInFinally ? "    } finally {\n      client.release();\n    }\n" : "    }\n    client.release();\n"
        return ("src/adapters/postgres-event-store.ts", """
            import type { Pool } from 'pg';
            export class PostgresEventStore {
              constructor(private readonly pool: Pool) {}
              async append(id: string): Promise<void> {
                const client = await this.pool.connect();
            \(beginInsideTry ? "" : "    await client.query('BEGIN');\n")    try {
            \(beginInsideTry ? begin : "")      await client.query('INSERT INTO events (id) VALUES ($1)', [id]);
                  await client.query('COMMIT');
                } catch (error) {
                  await client.query('ROLLBACK');
                  throw error;
            \(release)  }
            }
            """)
    }
}
