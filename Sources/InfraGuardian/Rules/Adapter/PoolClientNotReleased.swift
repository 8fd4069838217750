/// A pooled client that is not released in a `finally` on every path.
struct PoolClientNotReleased: Rule {
    static let description = RuleDescription(
        id: "pool-client-not-released", category: .adapter, severity: .high,
        summary: "A client taken with pool.connect() is not released in a finally on every path.",
        finds: "`connect()` whose client is released outside `finally`, never, or after an `await` between `connect()` and the `try`",
        why: """
        node-postgres gives the client back to the pool only on `release()`. When an error skips the \
        release (it sits after the try/catch, or an `await client.query('BEGIN')` before the try throws) \
        the client is lost; after `max` such errors the pool is empty and every request waits for a \
        connection that never comes: an outage caused by a retryable error.
        """,
        fix: """
        Take the client, then enter try at once and release in finally:
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
        """,
        bad: [.source([("src/adapters/postgres-event-store.ts", """
            import type { Pool } from 'pg';
            export class PostgresEventStore {
              constructor(private readonly pool: Pool) {}
              async append(id: string): Promise<void> {
                const client = await this.pool.connect();
                await client.query('BEGIN');
                try {
                  await client.query('INSERT INTO events (id) VALUES ($1)', [id]);
                  await client.query('COMMIT');
                } catch (error) {
                  await client.query('ROLLBACK');
                  throw error;
                }
                client.release();
              }
            }
            """)], at: .line(5)),
              // Released in finally, but the BEGIN before the try can throw: then the finally never runs.
              .source([("src/adapters/postgres-lead-repository.ts", """
            import type { Pool } from 'pg';
            export class PostgresLeadRepository {
              constructor(private readonly pool: Pool) {}
              async save(id: string): Promise<void> {
                const client = await this.pool.connect();
                await client.query('BEGIN');
                try {
                  await client.query('INSERT INTO leads (id) VALUES ($1)', [id]);
                  await client.query('COMMIT');
                } catch (error) {
                  await client.query('ROLLBACK');
                  throw error;
                } finally {
                  client.release();
                }
              }
            }
            """)], at: .line(5))],
        good: [.source([("src/adapters/postgres-event-store.ts", """
            import type { Pool } from 'pg';
            export class PostgresEventStore {
              constructor(private readonly pool: Pool) {}
              async append(id: string): Promise<void> {
                const client = await this.pool.connect();
                try {
                  await client.query('BEGIN');
                  await client.query('INSERT INTO events (id) VALUES ($1)', [id]);
                  await client.query('COMMIT');
                } catch (error) {
                  await client.query('ROLLBACK');
                  throw error;
                } finally {
                  client.release();
                }
              }
            }
            """)])])

    func check(_ input: AuditInput, _ context: RuleContext) -> [Finding] {
        input.sourceFacts(.clientNotReleased).map { graph, fact in
            finding("\(fact.symbol): \(fact.detail); after enough errors the pool has no client left.",
                    at: Location(file: graph.displayPath(fact.file), line: fact.line),
                    fix: "In \(fact.symbol), enter `try` right after the connect() at line \(fact.line) (move any BEGIN inside it) "
                        + "and release the client in `finally { client.release(); }`.")
        }
    }
}
