/// `audit`: the whole Infrastructure Audit Report (live PostgreSQL and Redis when configured,
/// migrations, adapters) and its gate.
enum AuditTool {
    static let tool = MCPTool(
        name: "audit", title: "Audit the persistence layer",
        description: """
            The Infrastructure Audit Report: PostgreSQL (schema, indexes, pgvector, security, slow queries) and \
            Redis read on read-only, time-bounded sessions when configured, the migration files and the TypeScript \
            adapters, judged by every rule, with the quality gate. Without a database only the static parts run. \
            structuredContent is the `audit --format json` report (schemaVersion 2).
            """,
        arguments: [.directory, .databaseURL, .redisURL, .migrations, .source, .base, .baseline,
                    .deadline(default: Deadline.defaultAuditSeconds),
                    .format(ReportFormat.allCases.map(\.rawValue), default: ReportFormat.md.rawValue,
                            "The text content: md (the report), json, html, or the findings alone as sarif, junit or github."),
                    .details,
                    MCPArgument(name: "snapshot", kind: .string, description:
                        "A saved input inside the project (from `infra-guardian collect --out`) to audit instead of the live systems."),
                    MCPArgument(name: "template", kind: .string, description:
                        "A Mustache template inside the project replacing the built-in report.md.mustache (md, html)."),
                    .config],
        annotations: MCPTool.readOnly(openWorld: true)) { call in
            let format = call.arguments.string("format").flatMap(ReportFormat.init) ?? .md
            let session = try call.session(deadline: Deadline.defaultAuditSeconds)
            let report = try call.file("snapshot").map { session.audit(try SnapshotFile.load($0)) } ?? session.audit()
            return try MCPToolResult(json: session.render(report, as: .json),
                                     text: session.render(report, as: format, templateFile: call.file("template"),
                                                          details: call.arguments.flag("details")),
                                     asJSON: call.wantsJSON)
        }
}
