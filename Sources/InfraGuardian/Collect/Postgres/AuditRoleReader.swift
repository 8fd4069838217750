import Foundation

/// Reads what the audit's own role may do (one statement, no lock: privileges come from the ACLs in
/// the syscache). A failure costs only this fact.
enum AuditRoleReader {
    static func read(_ connection: PostgresConnection) -> AuditRole? {
        guard let text = try? connection.measure(sql).first?.first ?? nil, let data = text.data(using: .utf8) else { return nil }
        return try? JSONDecoder().decode(AuditRole.self, from: data)
    }

    static let sql = """
        \(CatalogQuery.marker)
        WITH writable AS (
          SELECT format('%I.%I', n.nspname, c.relname) AS name
          FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
          WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema')
            AND n.nspname NOT LIKE 'pg\\_%'
            AND has_table_privilege(c.oid, 'INSERT, UPDATE, DELETE, TRUNCATE')
        )
        SELECT json_build_object(
          'name', current_user,
          'superuser', (SELECT rolsuper FROM pg_roles WHERE rolname = current_user),
          'writableTables', (SELECT count(*) FROM writable),
          'writableExamples', (SELECT coalesce(json_agg(name ORDER BY name), '[]')
                               FROM (SELECT name FROM writable ORDER BY name LIMIT 5) e)
        )::text
        """
}
