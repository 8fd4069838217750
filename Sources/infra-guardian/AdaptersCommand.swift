import ArgumentParser
import Foundation
import InfraGuardian

struct AdaptersCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "adapters",
        abstract: "Scan a TypeScript source tree: its persistence adapters, ports and tests, and the adapter rules.",
        discussion: """
        Reads .ts/.tsx/.mts/.cts files under --source (default: paths.source, else the working directory), \
        skipping node_modules, dist, build and hidden folders, and prints the Adapter Coverage table and \
        the adapter findings. No database is read. Exit 0 PASSED, 1 FAILED, 2 usage or configuration error.
        """)

    @Option(name: .long, help: ArgumentHelp("Root of the TypeScript source tree.", valueName: "dir"))
    var source: String?

    @Option(name: .long, help: ArgumentHelp("md (the table and findings) or json (the graph, the table, the findings and the gate).",
                                            valueName: "format"))
    var format: AdaptersFormat = .md

    @Option(name: .long, help: ArgumentHelp("Write the output to this file instead of standard output.", valueName: "file"))
    var output: String?

    @Option(name: .long, help: ArgumentHelp("Configuration file (default: ./.infra-guardian.yml if present).", valueName: "file"))
    var config: String?

    enum AdaptersFormat: String, ExpressibleByArgument, CaseIterable { case md, json }

    func run() throws {
        if let source {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: source, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw UsageError(message: "--source \(source) is not a folder")
            }
        }
        let session = try makeSession { try Session(SessionOptions(configFile: config, sourceRoot: source)) }
        let report = session.adapters()
        let text = format == .json ? try JSONRenderer.render(report) : Session.markdown(report)
        try emit(text, to: output)
        if !report.gate.passed { throw ExitCode(1) }
    }
}
