/// The user-visible schema of a database as a set of lines, one per object ("index public.leads_email_idx:
/// CREATE INDEX …"), read in one query: what a down section must restore exactly. Objects of
/// extensions are left to their extension's own line; system schemas are left out.
struct CatalogShape: Equatable {
    /// (kind, name) → definition.
    var objects: [String: String]

    static func read(_ connection: PostgresConnection) throws -> CatalogShape {
        connection.activity = "reading the scratch catalog"
        var objects: [String: String] = [:]
        for row in try connection.query(query) {
            guard row.count == 3, let kind = row[0], let name = row[1] else { continue }
            objects["\(kind) \(name)"] = row[2] ?? ""
        }
        return CatalogShape(objects: objects)
    }

    /// What `after` has that `self` lacks ("… left behind"), lacks ("… missing") or defines
    /// differently ("… changed"), sorted.
    func differences(to after: CatalogShape) -> [String] {
        var lines: [String] = []
        for (key, definition) in after.objects {
            guard let before = objects[key] else { lines.append("\(key) left behind"); continue }
            if before != definition { lines.append("\(key) changed: was `\(before)`, now `\(after.objects[key] ?? "")`") }
        }
        for key in objects.keys where after.objects[key] == nil { lines.append("\(key) missing") }
        return lines.sorted()
    }

    /// Names of the tables (`schema.table`) the catalog holds.
    var tables: Set<String> {
        Set(objects.keys.filter { $0.hasPrefix("table ") }.map { String($0.dropFirst("table ".count)) })
    }

    private static let query = """
    WITH ns AS (
        SELECT oid, nspname FROM pg_namespace
        WHERE nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
          AND nspname NOT LIKE 'pg\\_temp\\_%' AND nspname NOT LIKE 'pg\\_toast\\_temp\\_%'),
    member AS (SELECT classid, objid FROM pg_depend WHERE deptype = 'e'),
    rel AS (
        SELECT c.oid, c.relname, c.relkind, ns.nspname FROM pg_class c JOIN ns ON ns.oid = c.relnamespace
        WHERE NOT EXISTS (SELECT 1 FROM member m WHERE m.classid = 'pg_class'::regclass AND m.objid = c.oid))
    SELECT 'schema', nspname, '' FROM ns WHERE nspname <> 'public'
    UNION ALL SELECT 'extension', extname, '' FROM pg_extension WHERE extname <> 'plpgsql'
    UNION ALL SELECT CASE relkind WHEN 'r' THEN 'table' WHEN 'p' THEN 'table' WHEN 'v' THEN 'view'
                                  WHEN 'm' THEN 'materialized view' WHEN 'S' THEN 'sequence' ELSE 'foreign table' END,
                     nspname || '.' || relname, '' FROM rel WHERE relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
    UNION ALL SELECT 'row level security', rel.nspname || '.' || rel.relname, '' FROM rel JOIN pg_class c ON c.oid = rel.oid
        WHERE c.relrowsecurity
    UNION ALL SELECT 'column', rel.nspname || '.' || rel.relname || '.' || a.attname,
                     format_type(a.atttypid, a.atttypmod) || CASE WHEN a.attnotnull THEN ' NOT NULL' ELSE '' END
                     || COALESCE(' DEFAULT ' || pg_get_expr(d.adbin, d.adrelid), '')
        FROM pg_attribute a JOIN rel ON rel.oid = a.attrelid
        LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
        WHERE a.attnum > 0 AND NOT a.attisdropped AND rel.relkind IN ('r', 'p', 'v', 'm', 'f')
    UNION ALL SELECT 'constraint', rel.nspname || '.' || rel.relname || '.' || con.conname, pg_get_constraintdef(con.oid)
        FROM pg_constraint con JOIN rel ON rel.oid = con.conrelid
    UNION ALL SELECT 'index', rel.nspname || '.' || rel.relname, pg_get_indexdef(rel.oid) FROM rel WHERE relkind IN ('i', 'I')
    UNION ALL SELECT 'function', ns.nspname || '.' || p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ')',
                     md5(p.prosrc)
        FROM pg_proc p JOIN ns ON ns.oid = p.pronamespace
        WHERE NOT EXISTS (SELECT 1 FROM member m WHERE m.classid = 'pg_proc'::regclass AND m.objid = p.oid)
    UNION ALL SELECT 'trigger', rel.nspname || '.' || rel.relname || '.' || t.tgname, pg_get_triggerdef(t.oid)
        FROM pg_trigger t JOIN rel ON rel.oid = t.tgrelid WHERE NOT t.tgisinternal
    UNION ALL SELECT 'policy', rel.nspname || '.' || rel.relname || '.' || pol.polname,
                     pol.polcmd::text || ' ' || COALESCE(pg_get_expr(pol.polqual, pol.polrelid), '')
                     || ' ' || COALESCE(pg_get_expr(pol.polwithcheck, pol.polrelid), '')
        FROM pg_policy pol JOIN rel ON rel.oid = pol.polrelid
    UNION ALL SELECT 'type', ns.nspname || '.' || t.typname,
                     t.typtype::text || COALESCE(' ' || (SELECT string_agg(e.enumlabel, ',' ORDER BY e.enumsortorder)
                                                  FROM pg_enum e WHERE e.enumtypid = t.oid), '')
        FROM pg_type t JOIN ns ON ns.oid = t.typnamespace
        WHERE t.typtype IN ('e', 'd', 'r', 'm')
          AND NOT EXISTS (SELECT 1 FROM member m WHERE m.classid = 'pg_type'::regclass AND m.objid = t.oid)
    UNION ALL SELECT 'comment', rel.nspname || '.' || rel.relname
                     || CASE WHEN d.objsubid > 0 THEN '.' || COALESCE((SELECT attname FROM pg_attribute
                            WHERE attrelid = d.objoid AND attnum = d.objsubid), '?') ELSE '' END,
                     md5(d.description)
        FROM pg_description d JOIN rel ON d.classoid = 'pg_class'::regclass AND d.objoid = rel.oid
    """
}
