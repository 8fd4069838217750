/// SQL text built from values: concatenation, or `${value}` inside a quoted literal of a template.
struct SQLStringConcatenation: Rule {
    static let description = RuleDescription(
        id: "sql-string-concatenation", category: .adapter, severity: .high,
        summary: "SQL text is built from values (concatenation, or interpolation inside quotes) instead of parameters.",
        finds: "a parameter or other value concatenated into SQL text, or `${value}` inside a quoted SQL literal (`INTERVAL '${hours} hours'`, `SET LOCAL app.clinic_id = '${id}'`); placeholders (`$${i}`) and constants are not",
        why: """
        A value written into the SQL text is SQL: a quote in it ends the literal and the rest runs as \
        commands (injection), it defeats the plan cache, and a patient name with an apostrophe breaks \
        the query. Parameters (`$1`) are sent apart from the text and never parsed as SQL.
        """,
        fix: """
        Pass values as parameters:
          pool.query('SELECT … WHERE resource_type = $1 AND resource_id = $2 LIMIT $3', [resourceType, resourceId, limit])
          `… now() - make_interval(hours => $1)`  instead of  `INTERVAL '${hours} hours'`
          SELECT set_config('app.clinic_id', $1, true)  instead of  SET LOCAL app.clinic_id = '${id}'
        """,
        bad: [.source([("src/adapters/postgres-audit-log-repository.ts", """
            import type { Pool } from 'pg';
            export class PostgresAuditLogRepository {
              constructor(private readonly pool: Pool) {}
              async findByResource(resourceType: string, limit: number) {
                const sql = "SELECT * FROM audit_logs WHERE resource_type = '" + resourceType + "' LIMIT " + limit;
                return (await this.pool.query(sql)).rows;
              }
              async recent(hours: number) {
                return this.pool.query(`SELECT id FROM audit_logs WHERE occurred_at > now() - INTERVAL '${hours} hours'`);
              }
            }
            """)], at: .line(5))],
        good: [.source([("src/adapters/postgres-audit-log-repository.ts", """
            import type { Pool } from 'pg';
            const COLUMNS = 'id, occurred_at';
            export class PostgresAuditLogRepository {
              constructor(private readonly pool: Pool) {}
              async find(filters: string[], values: unknown[]) {
                const where = filters.map((f, i) => `${f} = $${i + 1}`).join(' AND ');
                return this.pool.query(`SELECT ${COLUMNS} FROM audit_logs WHERE ${where} LIMIT $${values.length + 1}`, [...values, 50]);
              }
              async recent(hours: number) {
                return this.pool.query('SELECT ' + COLUMNS + ' FROM audit_logs WHERE occurred_at > now() - make_interval(hours => $1)', [hours]);
              }
            }
            """)])])

    func check(_ input: AuditInput, _ context: RuleContext) -> [Finding] {
        // One finding per method and statement: the values of one SQL text are listed together.
        var groups: [(graph: AdapterGraph, facts: [AdapterGraph.SourceFact])] = []
        for (graph, fact) in input.sourceFacts(.sqlBuiltFromValue) {
            if let last = groups.last?.facts.last, last.symbol == fact.symbol, last.file == fact.file, fact.line - last.line <= 3 {
                groups[groups.count - 1].facts.append(fact)
            } else {
                groups.append((graph, [fact]))
            }
        }
        return groups.map { graph, facts in
            let first = facts[0]
            let values = FixText.list(facts.map { "`\($0.detail)`" })
            return finding("\(first.symbol) writes \(values) into the SQL text (line\(facts.count == 1 ? "" : "s") \(FixText.list(facts.map { String($0.line) }))): SQL injection, and no plan reuse.",
                           at: graph.location(of: first),
                           fix: "Replace each value with a placeholder ($1, $2, …) and pass [\(facts.map(\.detail).joined(separator: ", "))] "
                               + "as the query's values; an INTERVAL becomes `make_interval(hours => $1)`, a SET LOCAL `set_config(name, $1, true)`.")
        }
    }
}
