/// `lint`: the migration rules over the project's migration files, no database needed.
enum LintTool {
    static let tool = MCPTool(
        name: "lint", title: "Lint migrations",
        description: """
            Lint PostgreSQL migration files (dbmate or Supabase) with PostgreSQL's own parser: locks, \
            idempotency, reversibility, waivers. No database needed. Returns the findings (rule, severity, \
            file:line, concrete fix) and the quality gate; structuredContent is the `lint --format json` layout.
            """,
        arguments: [.directory,
                    MCPArgument(name: "paths", kind: .strings, description:
                        "Migration folders, files or globs inside the project (default: the configured migration folders)."),
                    .base, .baseline,
                    .format(LintFormat.allCases.map(\.rawValue), default: LintFormat.md.rawValue,
                            "The text content: md (a table), text, json, sarif, junit or github annotations."),
                    .details, .config],
        annotations: MCPTool.readOnly(openWorld: false)) { call in
            let format = call.arguments.string("format").flatMap(LintFormat.init) ?? .md
            let session = try call.session(loadsSQLPacks: Session.lintNeedsSQLPacks(format))
            let report = try session.lint(paths: try call.paths("paths"))
            return try MCPToolResult(json: session.render(report, as: .json),
                                     text: session.render(report, as: format, details: call.arguments.flag("details")),
                                     asJSON: call.wantsJSON)
        }
}
