/// After up then down, the catalog is not the one before up.
struct MigrationDownIncomplete: Rule {
    static let description = RuleDescription(
        id: "migration-down-incomplete", category: .verification, severity: .high,
        summary: "A migration's down section does not restore the schema it found.",
        finds: "a down section that ran without error, after which the scratch catalog differs from the one before up: tables, columns and their types, constraints, indexes, functions, triggers, policies, types or comments left behind, missing or changed (all of them, in one finding per file)",
        why: """
        A rollback that leaves an index, a column or a trigger behind is not a rollback: the next \
        deploy of the fixed migration collides with what is left, and the schema drifts from what the \
        migration files say. `verify` compared the catalog after down with the one before up.
        """,
        fix: "Undo in the down section everything the up section creates or changes, in reverse order, with IF EXISTS.",
        bad: [.verified("down leaves the index public.lead_scores_lead_id_idx behind", at: .line(8)) {
            var migration = VerifiedMigration(file: RuleExample.verifiedFile, steps: RuleExample.steps(
                failing: .compare, detail: "1 difference", line: 8))
            migration.leftovers = ["index public.lead_scores_lead_id_idx left behind"]
            return migration
        }],
        good: [.verified("the catalog after down equals the one before up") {
            VerifiedMigration(file: RuleExample.verifiedFile, steps: RuleExample.passedSteps())
        }])

    static let shown = 8

    func check(_ input: AuditInput, _ context: RuleContext) -> [Finding] {
        (input.verification?.migrations ?? []).compactMap { migration in
            guard !migration.leftovers.isEmpty else { return nil }
            let listed = migration.leftovers.prefix(Self.shown).joined(separator: "; ")
            let more = migration.leftovers.count > Self.shown ? "; and \(migration.leftovers.count - Self.shown) more" : ""
            let statements = migration.leftovers.compactMap(Self.undo)
            let fix = statements.isEmpty ? nil
                : "Add to the down section of \(migration.fileName): " + statements.prefix(Self.shown).joined(separator: " ")
                    + (migration.leftovers.count > statements.count ? " Undo or restore the other differences listed." : "")
            return finding("After the up then the down section of \(migration.fileName), the schema differs from before: \(listed)\(more).",
                           at: Location(file: migration.file, line: migration.step(.compare)?.line ?? 1), fix: fix)
        }
    }

    /// The statement that removes what a "… left behind" line names; nil for other lines.
    static func undo(_ leftover: String) -> String? {
        guard leftover.hasSuffix(" left behind") else { return nil }
        let object = String(leftover.dropLast(" left behind".count))
        let kinds: [(String, (String) -> String?)] = [
            ("materialized view ", { "DROP MATERIALIZED VIEW IF EXISTS \($0);" }),
            ("row level security ", { "ALTER TABLE \($0) DISABLE ROW LEVEL SECURITY;" }),
            ("table ", { "DROP TABLE IF EXISTS \($0);" }),
            ("view ", { "DROP VIEW IF EXISTS \($0);" }),
            ("sequence ", { "DROP SEQUENCE IF EXISTS \($0);" }),
            ("index ", { "DROP INDEX IF EXISTS \($0);" }),
            ("function ", { "DROP FUNCTION IF EXISTS \($0);" }),
            ("type ", { "DROP TYPE IF EXISTS \($0);" }),
            ("extension ", { "DROP EXTENSION IF EXISTS \($0);" }),
            ("schema ", { "DROP SCHEMA IF EXISTS \($0);" }),
            ("column ", { member($0).map { "ALTER TABLE \($0.table) DROP COLUMN IF EXISTS \($0.name);" } }),
            ("constraint ", { member($0).map { "ALTER TABLE \($0.table) DROP CONSTRAINT IF EXISTS \($0.name);" } }),
            ("trigger ", { member($0).map { "DROP TRIGGER IF EXISTS \($0.name) ON \($0.table);" } }),
            ("policy ", { member($0).map { "DROP POLICY IF EXISTS \($0.name) ON \($0.table);" } }),
        ]
        for (prefix, statement) in kinds where object.hasPrefix(prefix) {
            return statement(String(object.dropFirst(prefix.count)))
        }
        return nil
    }

    /// `schema.table.member` → (`schema.table`, `member`).
    private static func member(_ name: String) -> (table: String, name: String)? {
        let parts = name.split(separator: ".", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3 else { return nil }
        return ("\(parts[0]).\(parts[1])", String(parts[2]))
    }
}
