/// `migration_status`: each migration file applied, pending or unknown, from the database's history.
enum MigrationStatusTool {
    static let tool = MCPTool(
        name: "migration_status", title: "Migration status",
        description: """
            Joins the migration files with the history the database recorded (dbmate's schema_migrations, \
            Supabase's): each file applied (with its date), pending, or applied without a file. Without a \
            configured database every file is 'not compared'. structuredContent: {database, postgres, summary, migrations[]}.
            """,
        arguments: [.directory, .databaseURL, .migrations, .deadline(default: Deadline.defaultHealthSeconds),
                    .format(["md", "json"], default: "md", "The text content: md (a table) or json."), .config],
        annotations: MCPTool.readOnly(openWorld: true)) { call in
            let report = try call.session(deadline: Deadline.defaultHealthSeconds, loadsSQLPacks: false).migrationStatus()
            return try MCPToolResult(json: JSONRenderer.render(report), text: Session.markdown(report), asJSON: call.wantsJSON)
        }
}
