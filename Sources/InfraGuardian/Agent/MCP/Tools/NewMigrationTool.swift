import Foundation
import MCP

/// `new_migration`: a safe, idempotent, reversible migration written into the project's migration folder.
enum NewMigrationTool {
    static let tool = MCPTool(
        name: "new_migration", title: "Write a new migration",
        description: """
            Designs a migration from words ("lead scoring history": a table keyed like the project's tables, \
            foreign key to the entity table with its index, created_at, COMMENT ON TABLE, IF NOT EXISTS, \
            lock_timeout, an exact down section) and/or indexes on existing tables (each its own CREATE INDEX \
            CONCURRENTLY file), against the schema the migrations build, and writes it into the project's \
            migration folder only. Never overwrites a file. Prove it with the verify tool.
            """,
        arguments: [.directory,
                    MCPArgument(name: "description", kind: .string, description:
                        "What the migration is for, in words; they name the new table (e.g. \"lead scoring history\")."),
                    MCPArgument(name: "columns", kind: .string, description:
                        "Extra columns of the new table: \"score:int, model_version:text!\" (! for NOT NULL; json becomes jsonb)."),
                    MCPArgument(name: "indexes", kind: .strings, description:
                        "Indexes on existing tables, each written as its own CREATE INDEX CONCURRENTLY migration: \"leads(status)\"."),
                    MCPArgument(name: "database_url", kind: .string, description:
                        "Design from this database's live catalog (one read-only query) instead of the schema the migration files build; "
                            + "masked in every output, but it stays in the client's transcript."),
                    MCPArgument(name: "template", kind: .string, description:
                        "A Mustache template inside the project instead of the built-in migration.sql.mustache."),
                    .config],
        annotations: Tool.Annotations(readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false)) { call in
            let words = call.arguments.string("description") ?? ""
            if words.allSatisfy(\.isWhitespace) && call.arguments.strings("indexes").isEmpty {
                throw MCPToolError("give description (what the migration is for, e.g. \"lead scoring history\") or indexes (e.g. [\"leads(status)\"])")
            }
            let session = try call.session(loadsSQLPacks: false)
            let configured = session.newMigrationFolder()
            guard let folder = try? call.project.inside(configured, argument: "paths.migrations") else {
                throw MCPToolError("the migration folder \(configured) lies outside the project \(call.project.root): nothing written")
            }
            let written = try session.newMigration(words, columns: call.arguments.string("columns"),
                                                   indexes: call.arguments.strings("indexes"), folder: folder,
                                                   templateFile: try call.file("template"),
                                                   databaseURL: call.arguments.string("database_url"))
            let files: [Value] = zip(written.paths, written.designs).map { path, design in
                let text = (try? String(contentsOfFile: (call.project.root as NSString).appendingPathComponent(path), encoding: .utf8)) ?? ""
                return ["path": .string(path), "table": .string(design.table), "steps": .array(design.steps.map { .string($0) }),
                        "sql": .string(text)]
            }
            return MCPToolResult(text: written.summary, structured: [
                "files": .array(files), "schemaSource": .string(written.schemaSource),
                "next": .string("verify \(written.paths.joined(separator: " "))"),
            ])
        }
}
