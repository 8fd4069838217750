import ArgumentParser
import Foundation
import InfraGuardian

struct MergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Merge the JSON reports of separate audits (one CI job per shard) into one fleet report and gate.",
        discussion: """
        Each file is a single-database report (`audit --format json`) or a fleet report (`audit --targets FILE \
        --format json`). The merged report is the one a single run over all their databases gives: the same \
        summary and gate, databases ordered by target. A file that is not such a report, or of another schema \
        version, is a line of the report and fails the gate; the others are merged. Exit 0 PASSED, 1 FAILED, \
        2 usage error.
        """)

    @Argument(help: ArgumentHelp("JSON reports to merge.", valueName: "report.json"))
    var reports: [String] = []

    @OptionGroup var output: OutputOptions<FleetFormat>

    @Option(name: .long, help: ArgumentHelp("Configuration file (default: ./.infra-guardian.yml if present); "
                                            + "report.max_rows_per_rule shapes the Markdown.", valueName: "file"))
    var config: String?

    func validate() throws {
        if reports.isEmpty { throw ValidationError("give the JSON reports to merge (at least one file)") }
    }

    func run() throws {
        let session = try makeSession { try Session(SessionOptions(configFile: config, loadsSQLPacks: false)) }
        let fleet = FleetMerge.merge(reports)
        try emit(try usage { try session.render(fleet, as: output.format.report) }, to: output.output)
        if !fleet.gate.passed { throw ExitCode(1) }
    }
}

/// The formats of a fleet report.
enum FleetFormat: String, CaseIterable, ExpressibleByArgument, OutputFormat {
    case md, json

    static let defaultValue = FleetFormat.md
    static let help = "Report format: md or json (the fleet layout)."

    var report: ReportFormat { self == .md ? .md : .json }
}
