/// `BEGIN` sent with no `ROLLBACK` on the error path.
struct TransactionWithoutRollback: Rule {
    static let description = RuleDescription(
        id: "transaction-without-rollback", category: .adapter, severity: .high,
        summary: "A method sends BEGIN but no catch block sends ROLLBACK.",
        finds: "`query('BEGIN')` in a method with no `catch` that sends `ROLLBACK`",
        why: """
        After an error inside a transaction the client is in an aborted transaction: every later \
        statement on it fails with "current transaction is aborted" until ROLLBACK. Released to the \
        pool in that state, the next request that takes it fails too, or with its own BEGIN nests into \
        the aborted block. Half-written rows are neither committed nor cleaned up until the client closes.
        """,
        fix: "Roll back in the catch of the try that holds the BEGIN:\n" + AdapterExamples.transaction,
        bad: [.source([("src/adapters/postgres-case-repository.ts", """
            import type { Pool } from 'pg';
            export class PostgresCaseRepository {
              constructor(private readonly pool: Pool) {}
              async close(id: string): Promise<void> {
                const client = await this.pool.connect();
                try {
                  await client.query('BEGIN');
                  await client.query('UPDATE cases SET status = $1 WHERE id = $2', ['closed', id]);
                  await client.query('COMMIT');
                } finally {
                  client.release();
                }
              }
            }
            """)], at: .line(7))],
        good: [PoolClientNotReleased.description.goodExamples[0]])

    func check(_ input: AuditInput, _ context: RuleContext) -> [Finding] {
        input.sourceFacts(.beginWithoutRollback).map { graph, fact in
            finding("\(fact.symbol) sends BEGIN at line \(fact.line) but no catch sends ROLLBACK: after an error the client stays in an aborted transaction.",
                    at: graph.location(of: fact),
                    fix: "In \(fact.symbol), add `catch (error) { await client.query('ROLLBACK'); throw error; }` to the try that holds the BEGIN.")
        }
    }
}
