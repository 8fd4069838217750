import ArgumentParser
import Foundation
import InfraGuardian

struct NewMigrationCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "new-migration",
        abstract: "Write a safe, idempotent, reversible migration designed from the schema the migrations build.",
        discussion: """
        From "lead scoring history": table lead_scoring_history, keyed like the project's tables (uuid with \
        gen_random_uuid(), or bigint identity), lead_id → leads(id) with its index when a table leads exists, \
        created_at, COMMENT ON TABLE, IF NOT EXISTS everywhere, lock_timeout where an existing table is locked, \
        and a down section that drops exactly what the up section creates. Written to \
        db/migrations/YYYYMMDDHHMM_lead_scoring_history.sql (supabase/migrations when that is the project's \
        folder); an existing file is never overwritten. Each --index TABLE(COLUMN, …) on an existing table gets a \
        file of its own: dbmate transaction:false and one CREATE INDEX CONCURRENTLY IF NOT EXISTS (down: DROP INDEX \
        CONCURRENTLY IF EXISTS), so writes go on while it builds; words are then optional. The schema is the one the \
        migration files build, or with --database-url the live catalog (one read-only query). Prove the files with \
        `infra-guardian verify`.
        """)

    @Argument(help: ArgumentHelp("What the migration is for, in words (they name the table).", valueName: "words"))
    var phrase: String?

    @Option(name: .long, help: ArgumentHelp(
        "Extra columns: \"score:int, model_version:text!\" (! for NOT NULL; json becomes jsonb, timestamp timestamptz).",
        valueName: "list"))
    var columns: String?

    @Option(name: .long, help: ArgumentHelp(
        "An index on an existing table, written as its own CREATE INDEX CONCURRENTLY migration (repeatable): \"leads(status)\".",
        valueName: "table(columns)"))
    var index: [String] = []

    @Option(name: .long, help: ArgumentHelp(
        "Design from this database's live catalog (read-only) instead of the schema the migration files build.",
        valueName: "url"))
    var databaseURL: String?

    @Option(name: .long, help: ArgumentHelp("The folder to write to (default: the project's migration folder).", valueName: "dir"))
    var dir: String?

    @Option(name: .long, help: ArgumentHelp("A Mustache template instead of the built-in migration.sql.mustache.", valueName: "file"))
    var template: String?

    @Option(name: .long, help: ArgumentHelp("Configuration file (default: ./.infra-guardian.yml if present).", valueName: "file"))
    var config: String?

    func run() throws {
        let session = try makeSession { try Session(SessionOptions(configFile: config)) }
        let written = try usage {
            try session.newMigration(phrase, columns: columns, indexes: index, folder: dir, templateFile: template,
                                     databaseURL: databaseURL)
        }
        try emit(written.summary, to: nil)
    }
}
