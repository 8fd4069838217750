/// The audit needs to read the catalogs and statistics, nothing more. Connecting as a superuser or
/// as the application's owner role hands the CI job (and whoever can change its configuration) the
/// power to change the data it is meant to certify.
struct AuditRolePrivileged: Rule {
    static let description = RuleDescription(
        id: "audit-role-privileged", category: .connection, severity: .medium,
        summary: "The audit connected as a superuser or as a role that can write to the audited tables.",
        finds: "the audit connected as a superuser or a role that can write to audited tables (fix: a `pg_monitor` auditor role)",
        why: """
        The audit is read-only by construction (read-only session, every probe and pack query vetted and \
        rolled back), but the credentials it runs with live in CI, where a pull request can reach them. \
        A dedicated role in pg_monitor reads every catalog and statistics view the audit uses and can \
        change nothing: least privilege, so no bug and no leaked secret can write to patient data.
        """,
        fix: recipe(role: "infra_guardian"),
        bad: [.postgres("connected as a superuser") {
            var snapshot = PostgresSnapshot()
            snapshot.auditRole = AuditRole(name: "postgres", superuser: true, writableTables: 12,
                                           writableExamples: ["public.leads", "public.patients"])
            return snapshot
        }],
        good: [.postgres("a read-only auditor role") {
            var snapshot = PostgresSnapshot()
            snapshot.auditRole = AuditRole(name: "infra_guardian")
            return snapshot
        }])

    func check(_ input: AuditInput, _ context: RuleContext) -> [Finding] {
        guard let role = input.postgres.value?.auditRole, role.superuser || role.writableTables > 0 else { return [] }
        let what: String
        if role.superuser {
            what = "a superuser: it could write to every table, run programs on the server and read its files"
        } else {
            let examples = role.writableExamples.map { "`\($0)`" }.joined(separator: ", ")
            let more = role.writableTables > role.writableExamples.count ? " and \(role.writableTables - role.writableExamples.count) more" : ""
            what = "a role that can write to \(role.writableTables) audited table\(role.writableTables == 1 ? "" : "s") (\(examples)\(more))"
        }
        return [finding("The audit connected as `\(role.name)`, \(what). Audit with a dedicated read-only role instead.",
                        at: .object("role:\(role.name)"))]
    }

    static func recipe(role: String) -> String {
        """
        Create a read-only auditor and put its URL in CI: `CREATE ROLE \(role) LOGIN PASSWORD '…' IN ROLE pg_monitor; \
        ALTER ROLE \(role) SET default_transaction_read_only = on; GRANT USAGE ON SCHEMA public TO \(role);` \
        (add `GRANT SELECT ON <tables your probes read> TO \(role);` when probes read tables).
        """
    }
}
