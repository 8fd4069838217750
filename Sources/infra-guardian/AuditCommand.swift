import ArgumentParser
import Foundation
import InfraGuardian

enum ReportFormat: String, ExpressibleByArgument, CaseIterable {
    case md, json, html, sarif, junit, github
}

struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Audit live PostgreSQL and Redis plus migration files; print the report and gate it.",
        discussion: """
        With no database or Redis configured, only the static parts run and the live components show \
        as not configured (that alone does not fail the gate). Exit 0 PASSED, 1 FAILED, 2 usage error.
        """)

    @OptionGroup var targets: TargetOptions

    @Option(name: .long, help: DeadlineHelp.text(default: Deadline.defaultAuditSeconds))
    var deadline: Double = Deadline.defaultAuditSeconds

    func validate() throws {
        do { _ = try Deadline.validated(deadline) } catch { throw ValidationError("\(error)") }
    }

    @Option(name: .long, help: ArgumentHelp("Audit a saved input (from `collect --out`) instead of live systems.",
                                            valueName: "file"))
    var snapshot: String?

    @Option(name: .long, help: "Report format: md, json, html, or the findings alone as sarif, junit or github (annotations).")
    var format: ReportFormat = .md

    @Option(name: .long, help: ArgumentHelp("Write the report to this file instead of standard output.", valueName: "file"))
    var output: String?

    @Option(name: .long, help: ArgumentHelp("A Mustache template replacing the built-in report.md.mustache.",
                                            valueName: "file"))
    var template: String?

    func run() throws {
        let setup = try targets.loadSetup()
        let input = try snapshot.map(loadSnapshot)
            ?? Auditor.collect(try targets.request(deadline: deadline), configuration: setup.configuration, packs: setup.packs)
        let report = ReportBuilder(evaluator: setup.evaluator).build(input, configuration: setup.configuration)
        try emit(try render(report, setup: setup), to: output)
        if !report.gate.passed { throw ExitCode(1) }
    }

    private func render(_ report: Report, setup: Setup) throws -> String {
        let findings = report.issues.map(\.finding)
        switch format {
        case .json:
            return try JSONRenderer.render(report)
        case .sarif:
            return FindingsFormat.sarif(findings, rules: setup.evaluator.rules)
        case .junit:
            return FindingsFormat.junit(findings, rules: setup.evaluator.rules, failOn: setup.configuration.gate.failOn)
        case .github:
            return GitHubAnnotationRenderer.render(findings: findings)
        case .md, .html:
            var renderer = MarkdownRenderer(ruleCount: setup.evaluator.rules.count)
            if let template {
                switch RegularFile.text(template, limit: RegularFile.configurationLimit) {
                case .success(let text): renderer.template = text
                case .failure(let refusal): throw UsageError(message: "cannot read template \(template): \(refusal.reason)")
                }
            }
            let markdown: String
            do {
                markdown = try renderer.render(report)
            } catch {
                throw UsageError(message: "template \(template ?? "report.md.mustache") is not valid Mustache: \(error)")
            }
            return format == .md ? markdown : HTMLRenderer.render(markdown: markdown)
        }
    }

    private func loadSnapshot(_ path: String) throws -> AuditInput {
        do {
            return try SnapshotFile.load(path)
        } catch let problem as SnapshotFile.Problem {
            throw UsageError(message: problem.message)
        }
    }
}
