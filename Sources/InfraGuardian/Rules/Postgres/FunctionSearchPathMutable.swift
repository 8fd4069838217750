/// A function that resolves names through its caller's search_path.
struct FunctionSearchPathMutable: Rule {
    static let description = RuleDescription(
        id: "function-search-path-mutable", category: .security, severity: .high,
        summary: "A function does not pin its search_path (HIGH for SECURITY DEFINER, LOW for invoker functions).",
        finds: "a function of the audited schemas without `SET search_path`: HIGH when SECURITY DEFINER, LOW otherwise (splinter's lint; C and internal functions skipped)",
        why: """
        A function without `SET search_path` resolves the tables, functions and operators it names through \
        the caller's search_path: a user who can create objects in a schema on that path can put their own \
        `now()` or `users` in front. A SECURITY DEFINER function then runs that code with its owner's \
        rights (privilege escalation: HIGH); an invoker function only runs with the caller's own rights, \
        but may still read the wrong objects (LOW). Supabase's and extensions' schemas are not audited \
        (`schemas.exclude`). The strictest setting is `SET search_path = ''` with every name in the body \
        schema-qualified; `pg_catalog, public` keeps unqualified names working where public is not \
        writable by untrusted roles (the default since PostgreSQL 15). Splinter: function_search_path_mutable.
        """,
        fix: "ALTER FUNCTION <schema>.<name>(<argument types>) SET search_path = pg_catalog, public; (or = '' with schema-qualified names in the body)",
        bad: [.postgres("public.grant_role(p_user uuid) SECURITY DEFINER, no search_path") {
            PostgresSnapshot(functions: [DatabaseFunction(name: "grant_role", arguments: "p_user uuid", securityDefiner: true)])
        }, .postgres("public.touch_updated_at() (invoker, trigger), no search_path: LOW") {
            PostgresSnapshot(functions: [DatabaseFunction(name: "touch_updated_at")])
        }],
        good: [.postgres("public.grant_role(p_user uuid) SECURITY DEFINER SET search_path = ''") {
            PostgresSnapshot(functions: [DatabaseFunction(name: "grant_role", arguments: "p_user uuid", securityDefiner: true,
                                                          searchPath: "\"\"")])
        }, .postgres("auth.uid() in a schema Supabase manages (schemas.exclude)") {
            PostgresSnapshot(functions: [DatabaseFunction(schema: "auth", name: "uid", language: "sql")])
        }, .postgres("public.my_norm(vector), a C function: no SQL names resolved") {
            PostgresSnapshot(functions: [DatabaseFunction(name: "my_norm", arguments: "vector", language: "c")])
        }])

    func check(_ input: AuditInput, _ context: RuleContext) -> [Finding] {
        guard let pg = input.postgres.value else { return [] }
        let schemas = context.configuration.schemas
        return (pg.functions ?? []).compactMap { function in
            guard function.searchPath == nil, !["c", "internal"].contains(function.language),
                  !schemas.excludes(function.schema) else { return nil }
            let object = "\(function.schema).\(function.name)(\(function.arguments))"
            let kind = function.kind == "p" ? "PROCEDURE" : "FUNCTION"
            let fix = "ALTER \(kind) \(pg.sqlName(function.schema, function.name))(\(function.arguments)) SET search_path = pg_catalog, public;"
            guard function.securityDefiner else {
                var result = finding("\(kind == "PROCEDURE" ? "Procedure" : "Function") \(object) does not pin its search_path: the names it uses resolve through each caller's search_path.",
                                     at: .object(object), fix: fix)
                result.severity = .low
                return result
            }
            return finding("SECURITY DEFINER \(kind == "PROCEDURE" ? "procedure" : "function") \(object) does not pin its search_path: whoever can create objects on a caller's search_path can run code with its owner's rights.",
                           at: .object(object), fix: fix)
        }
    }
}
