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
        folder); an existing file is never overwritten. Prove it with `infra-guardian verify`.
        """)

    @Argument(help: ArgumentHelp("What the migration is for, in words (they name the table).", valueName: "words"))
    var phrase: String

    @Option(name: .long, help: ArgumentHelp(
        "Extra columns: \"score:int, model_version:text!\" (! for NOT NULL; json becomes jsonb, timestamp timestamptz).",
        valueName: "list"))
    var columns: String?

    @Option(name: .long, help: ArgumentHelp("The folder to write to (default: the project's migration folder).", valueName: "dir"))
    var dir: String?

    @Option(name: .long, help: ArgumentHelp("A Mustache template instead of the built-in migration.sql.mustache.", valueName: "file"))
    var template: String?

    @Option(name: .long, help: ArgumentHelp("Configuration file (default: ./.infra-guardian.yml if present).", valueName: "file"))
    var config: String?

    func run() throws {
        let session = try makeSession { try Session(SessionOptions(configFile: config)) }
        let written = try usage { try session.newMigration(phrase, columns: columns, folder: dir, templateFile: template) }
        for path in written.paths { print("wrote \(path)") }
        for step in written.design.steps { print("  - \(step)") }
        print("next: infra-guardian verify \(written.paths.joined(separator: " "))")
    }
}
