/// A type, operator class, index method or default function from an extension no migration creates first.
struct MissingExtensionForOpclassOrType: ReadsAppliedSchema {
    static let description = RuleDescription(
        id: "missing-extension-for-opclass-or-type", category: .migration, severity: .high,
        summary: "A column type, operator class or index method comes from an extension no migration creates before it: the statement fails.",
        finds: """
        column types `vector`/`halfvec`/`sparsevec` (vector), `citext`, `hstore`, `ltree`, `geometry`/`geography` \
        (postgis), `cube`; operator classes `gin_trgm_ops`/`gist_trgm_ops` (pg_trgm) and `vector_*_ops`/`halfvec_*_ops`/\
        `sparsevec_*_ops`; index methods `hnsw`/`ivfflat`; DEFAULT `uuid_generate_v*()` (uuid-ossp) and \
        `gen_random_bytes()`/`crypt()`/`gen_salt()` (pgcrypto, not in Supabase files, where both come installed) — \
        when no `CREATE EXTENSION` of it runs earlier, and only when the migrations create some extension \
        themselves or build their database from empty (their first file creates tables and no DDL works on a \
        table they did not create)
        """,
        why: """
        The type, operator class or function does not exist until its extension is created in the database: \
        the migration fails ("type \\"vector\\" does not exist", "operator class \\"gin_trgm_ops\\" does not exist \
        for access method \\"gin\\""). It may pass where someone enabled the extension by hand and then fail on a \
        fresh database: a new environment, a CI database, `supabase db reset`. Folders that plainly rely on a \
        database prepared beforehand (they never create an extension and work on tables they did not create) \
        are not judged.
        """,
        fix: """
        Create the extension in an earlier migration (or at the top of this one):
          CREATE EXTENSION IF NOT EXISTS pg_trgm;
        On Supabase, in the extensions schema: CREATE EXTENSION IF NOT EXISTS vector WITH SCHEMA extensions;
        """,
        bad: [.migration("CREATE TABLE IF NOT EXISTS leads (id bigint PRIMARY KEY, name text);\nCREATE INDEX IF NOT EXISTS idx_leads_name_trgm ON leads USING gin (name gin_trgm_ops);",
                         at: .line(3)),
              .migration("CREATE EXTENSION IF NOT EXISTS pgcrypto;\nCREATE TABLE IF NOT EXISTS documents (id bigint PRIMARY KEY, embedding vector(1536));",
                         at: .line(3))],
        good: [.migration("CREATE EXTENSION IF NOT EXISTS pg_trgm;\nCREATE TABLE IF NOT EXISTS leads (id bigint PRIMARY KEY, name text);\nCREATE INDEX IF NOT EXISTS idx_leads_name_trgm ON leads USING gin (name gin_trgm_ops);"),
               .migration("CREATE INDEX IF NOT EXISTS idx_leads_name_trgm ON leads USING gin (name gin_trgm_ops);")])

    /// Type → the extension that defines it.
    static let typeExtensions: [String: String] = [
        "vector": "vector", "halfvec": "vector", "sparsevec": "vector", "citext": "citext", "hstore": "hstore",
        "ltree": "ltree", "lquery": "ltree", "geometry": "postgis", "geography": "postgis", "cube": "cube",
    ]
    static let methodExtensions: [String: String] = ["hnsw": "vector", "ivfflat": "vector"]
    /// Functions whose extension Supabase installs in every project (so they are not judged in Supabase files).
    static let functionExtensions: [String: String] = [
        "uuid_generate_v1": "uuid-ossp", "uuid_generate_v1mc": "uuid-ossp", "uuid_generate_v3": "uuid-ossp",
        "uuid_generate_v4": "uuid-ossp", "uuid_generate_v5": "uuid-ossp",
        "gen_random_bytes": "pgcrypto", "crypt": "pgcrypto", "gen_salt": "pgcrypto",
    ]

    static func opclassExtension(_ name: String) -> String? {
        if ["gin_trgm_ops", "gist_trgm_ops"].contains(name) { return "pg_trgm" }
        for prefix in ["vector_", "halfvec_", "sparsevec_"] where name.hasPrefix(prefix) && name.hasSuffix("_ops") { return "vector" }
        return nil
    }

    func check(_ input: AuditInput, _ context: RuleContext) -> [Finding] {
        let analysis = context.migrations(input)
        // Index statements, and the statements that set column types with their columns (read once
        // while parsing: `upColumnDefinitions`, in statement order).
        var candidates = analysis.upStatements(kind: .indexStmt).map { (file: $0.file, statement: $0.statement, columns: [ColumnDefinition]()) }
        for file in analysis.files {
            for (statement, column) in file.upColumnDefinitions {
                if let last = candidates.last, last.statement === statement {
                    candidates[candidates.count - 1].columns.append(column)
                } else {
                    candidates.append((file, statement, [column]))
                }
            }
        }
        guard !candidates.isEmpty else { return [] }
        let schema = analysis.shared(AppliedSchema.self)
        guard schema.startsFromEmptyDatabase || !schema.extensionSteps.isEmpty else { return [] }
        var findings: [Finding] = []
        for (file, statement, columns) in candidates {
            let step = ApplyStep(file, statement)
            // Extension → what of it the statement uses, in order.
            var uses: [(extension: String, what: String)] = []
            for (name, what) in Self.uses(statement, columns: columns, supabase: file.file.kind == .supabase)
            where !schema.typesCreated.contains(what.name) {
                uses.append((name, what.text))
            }
            var reported: Set<String> = []
            for use in uses where !reported.contains(use.extension) {
                reported.insert(use.extension)
                guard !schema.extensionCreated(use.extension, before: step), !schema.mentionedInOpaqueSQL(use.extension) else { continue }
                let items = uses.filter { $0.extension == use.extension }.map(\.what)
                let later = schema.extensionSteps[use.extension]?.first { $0 > step }
                    .flatMap { later in analysis.files.first { $0.position == later.file }?.file.fileName }
                let when = later.map { "it is created only later, in \($0)" } ?? "no migration creates it before this statement"
                findings.append(finding("The extension \(use.extension) is needed by \(FixText.list(items)), but \(when): the statement fails on a database without it.",
                                        at: statement.location,
                                        fix: "Create it first, in an earlier migration or at the top of this one:\n  CREATE EXTENSION IF NOT EXISTS \(quoteIdentifier(use.extension))\(file.file.kind == .supabase ? " WITH SCHEMA extensions" : "");"))
            }
        }
        return findings
    }

    /// (extension, (object name, how it is shown)) for each extension object the statement uses.
    /// - Parameter columns: the column definitions of the statement (`SQLStatement.columnDefinitions`).
    static func uses(_ statement: SQLStatement, columns: [ColumnDefinition], supabase: Bool) -> [(String, (name: String, text: String))] {
        var uses: [(String, (name: String, text: String))] = []
        if let index = statement.createIndex {
            let method = statement.node[.accessMethod].string ?? "btree"
            if let name = methodExtensions[method] { uses.append((name, (method, "the index method \(method)"))) }
            for element in statement.node[.indexParams].array {
                guard let opclass = SQLStatement.lastName(element.node(.indexElem)[.opclass]),
                      let name = opclassExtension(opclass) else { continue }
                uses.append((name, (opclass, "the operator class \(opclass) of \(index.name ?? "the index")")))
            }
            return uses
        }
        for column in columns {
            if let type = column.definition.columnTypeName, let name = typeExtensions[type] {
                uses.append((name, (type, "\(column.qualifiedName) (\(type))")))
            }
            guard !supabase else { continue }
            for constraint in column.definition[.constraints].array.map({ $0.node(.constraint) })
            where constraint[.contype].equals(PG.ConstrType.default) {
                for call in constraint[.rawExpr].descendants(named: .funcCall) {
                    guard let function = SQLStatement.lastName(call[.funcname]), let name = functionExtensions[function] else { continue }
                    uses.append((name, (function, "the DEFAULT \(function)() of \(column.qualifiedName)")))
                }
            }
        }
        return uses
    }
}
