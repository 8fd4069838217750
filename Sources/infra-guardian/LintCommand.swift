import ArgumentParser
import Foundation
import InfraGuardian

enum LintFormat: String, ExpressibleByArgument, CaseIterable {
    case text, md, json, sarif, junit, github
}

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

    @Option(name: .long, help: "Output: text, md, json, sarif (GitHub code scanning), junit or github (annotations).")
    var format: LintFormat = .text

    @Option(name: .long, help: ArgumentHelp("Write the output to this file instead of standard output.", valueName: "file"))
    var output: String?

    @Option(name: .long, help: ArgumentHelp("Configuration file (default: ./.infra-guardian.yml if present).",
                                            valueName: "file"))
    var config: String?

    func run() throws {
        let directory = FileManager.default.currentDirectoryPath
        // SARIF and JUnit list every rule, SQL rule packs included; the other formats need only
        // the migration rules.
        let setup = try loadCommandSetup(config: config, sqlRules: format == .sarif || format == .junit)
        let configuration = setup.configuration
        let rules = setup.evaluator.rules

        var set = paths.isEmpty
            ? MigrationCollector.collect(folders: configuration.paths.migrations, root: directory)
            : MigrationCollector.collect(paths: paths, root: directory)
        if set.files.isEmpty && set.folders.allSatisfy({ $0.error == nil }) {
            throw UsageError(message: "no migration files to lint (looked in \(paths.isEmpty ? Paths.defaultMigrationFolders.joined(separator: ", ") : paths.joined(separator: ", ")))")
        }
        if let base { set = GitBaseline.compare(set, base: base, root: directory) }
        let report = Linter.lint(set, configuration: configuration, rules: rules)
        if format == .json {
            try emit(json: report, to: output)
        } else {
            try emit(try render(report, rules: rules, configuration: configuration), to: output)
        }
        if !report.gate.passed { throw ExitCode(1) }
    }

    private func render(_ report: LintReport, rules: [any Rule], configuration: Configuration) throws -> String {
        switch format {
        case .text:
            return TextFindingsRenderer.render(findings: report.findings)
                + "Quality Gate (Infra): \(report.gate.label) — \(report.files) file\(report.files == 1 ? "" : "s") linted\n"
        case .md: return Linter.markdown(report)
        case .json: return FindingsJSONWriter.render(report)
        case .sarif: return FindingsFormat.sarif(report.findings, rules: rules)
        case .junit: return FindingsFormat.junit(report.findings, rules: rules, failOn: configuration.gate.failOn)
        case .github: return GitHubAnnotationRenderer.render(findings: report.findings)
        }
    }
}
