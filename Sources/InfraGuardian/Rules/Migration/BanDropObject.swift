/// DROP of views, functions, types, sequences, extensions, triggers, policies… in an up section.
struct BanDropObject: Rule {
    static let description = RuleDescription(
        id: "ban-drop-object", category: .migration, severity: .medium,
        summary: "DROP VIEW / FUNCTION / PROCEDURE / TYPE / DOMAIN / SEQUENCE / EXTENSION / TRIGGER / POLICY without approval.",
        finds: "up-section `DROP VIEW/MATERIALIZED VIEW/FUNCTION/PROCEDURE/ROUTINE/AGGREGATE/TYPE/DOMAIN/SEQUENCE/EXTENSION/TRIGGER/POLICY/FOREIGN TABLE` without approval (a drop re-created in the same section is a replacement)",
        why: """
        Code that queries the view, calls the function or casts to the type fails at once; dropping a \
        sequence loses its counter; dropping a trigger or a policy silently removes the integrity or \
        access rule it enforced (an append-only guard, row-level security); dropping an extension drops \
        what is built on it. CASCADE widens all of this to every dependent object. Not flagged: objects \
        created earlier in the same file, a drop that the same section re-creates (`DROP TRIGGER IF \
        EXISTS … ; CREATE TRIGGER …`, a view redefined with new columns; without CASCADE, and not for \
        sequences), and the down section. Tables, schemas and databases have their own rules.
        """,
        fix: """
        1. Make sure nothing uses the object any more (code, other views, cron jobs, grants).
        2. Replace rather than remove where you can: CREATE OR REPLACE VIEW / FUNCTION, or drop and
           re-create in the same migration.
        3. Otherwise, drop it in its own migration with an approval on the line above:
             -- infra-guardian:approve ban-drop-object replaced by lead_summary_v2, ticket INFRA-132
             DROP VIEW IF EXISTS lead_summary;
        """,
        bad: [.migration("DROP VIEW IF EXISTS lead_summary;"),
              .migration("DROP TRIGGER IF EXISTS trg_audit_logs_append_only ON audit_logs;"),
              .migration("DROP FUNCTION IF EXISTS forbid_append_only_mutation() CASCADE;")],
        good: [.migration("DROP TRIGGER IF EXISTS trg_leads_touch ON leads;\nCREATE TRIGGER trg_leads_touch BEFORE UPDATE ON leads FOR EACH ROW EXECUTE FUNCTION touch_updated_at();"),
               .migration("-- migrate:up\nCREATE OR REPLACE VIEW lead_summary AS SELECT id FROM leads;\n-- migrate:down\nDROP VIEW IF EXISTS lead_summary;\n")],
        requiresApproval: true)

    /// The object types this rule covers (`DropStmt.removeType` without `OBJECT_`).
    static let coveredTypes: Set<PG.ObjectType> = [.view, .matview, .function, .procedure, .routine, .aggregate, .type,
                                                   .domain, .sequence, .extension, .trigger, .policy, .foreignTable]

    func check(_ input: AuditInput, _ context: RuleContext) -> [Finding] {
        context.migrations(input).upStatements(kind: .dropStmt).flatMap { file, statement -> [Finding] in
            guard let type = statement.dropObjectType, Self.coveredTypes.contains(type), let up = file.up else { return [] }
            let cascade = statement.node[.behavior].equals(PG.DropBehavior.cascade)
            return statement.droppedSchemaObjects.compactMap { object, display in
                if up.created(object, before: statement.index) { return nil }
                // A trigger or policy of a table created earlier in the file is new too.
                if [.trigger, .policy].contains(object.kind), let table = object.name.split(separator: ".").first,
                   up.created(SchemaObject(.relation, String(table)), before: statement.index) { return nil }
                // Re-created in the same section: a replacement. CASCADE took dependents with it, and a
                // new sequence starts its counter over.
                if !cascade, type != .sequence, up.created(object, after: statement.index) { return nil }
                let what = type.words
                let text = (RequireIdempotentDDL.guarded(statement) ?? FixText.oneLine(statement)) + ";"
                let fix = FixText.approved("ban-drop-object", change: "DROP \(what.uppercased()) \(display)", statement: text, steps: [
                    "Make sure nothing uses \(display) any more (code, other views, cron jobs, grants).",
                    "Replace rather than remove where you can (CREATE OR REPLACE, or drop and re-create it in the same migration)."])
                return finding("DROP \(what.uppercased()) \(display)\(cascade ? " CASCADE" : "") without `-- infra-guardian:approve ban-drop-object <reason>`.",
                               at: statement.location, fix: fix)
            }
        }
    }
}
