import ArgumentParser
import Foundation
import InfraGuardian

struct LintCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lint",
        abstract: "Lint migration files with PostgreSQL's own parser (no database needed).",
        discussion: """
        PATH may be a migration folder, a file or a quoted glob ('db/migrations/2024*.sql'); the default is the \
        configured migration folders (db/migrations and supabase/migrations where they exist). Waive a finding \
        with `-- infra-guardian:ignore RULE reason` before the statement (or `ignore-file`); destructive changes \
        need `-- infra-guardian:approve RULE reason`. Exit 0 PASSED, 1 FAILED, 2 usage or configuration error.
        """)

    @Argument(help: ArgumentHelp("Migration folders, files or globs.", valueName: "path"))
    var paths: [String] = []

    @Option(name: .long, help: ArgumentHelp(
        "A git revision (e.g. origin/main): migrations that existed there and changed since are CRITICAL.", valueName: "ref"))
    var base: String?

    @OptionGroup var output: OutputOptions<LintFormat>

    @Option(name: .long, help: BaselineHelp.text)
    var baseline: String?

    @Option(name: .long, help: ArgumentHelp("Configuration file (default: ./.infra-guardian.yml if present).",
                                            valueName: "file"))
    var config: String?

    @Flag(name: .long, help: ArgumentHelp(
        "md: append `## Details` with every finding of the rules the table summarises (more findings than "
            + "report.max_rows_per_rule). The other formats always carry every finding."))
    var details = false

    func run() throws {
        let session = try makeSession {
            try Session(SessionOptions(configFile: config, base: base, baselineFile: baseline,
                                       loadsSQLPacks: Session.lintNeedsSQLPacks(output.format)))
        }
        let report = try usage { try session.lint(paths: paths) }
        if output.format == .json {
            try emit(json: report, of: session, to: output.output)
        } else {
            try emit(session.render(report, as: output.format, details: details), to: output.output)
        }
        if !report.gate.passed { throw ExitCode(1) }
    }
}
