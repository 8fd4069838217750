/// Formats of the audit report: the whole report (md, json, html) or its findings alone for CI.
public enum ReportFormat: String, CaseIterable, Sendable {
    case md, json, html, sarif, junit, github
}

/// Formats of the lint output.
public enum LintFormat: String, CaseIterable, Sendable {
    case text, md, json, sarif, junit, github
}

extension Session {
    /// The audit report in `format`; `templateFile` replaces the built-in report.md.mustache (md, html).
    /// - Parameter details: md and html append `## Details` with every finding's row; the other formats
    ///   always carry every finding.
    public func render(_ report: Report, as format: ReportFormat, templateFile: String? = nil,
                       details: Bool = false) throws -> String {
        let findings = report.issues.map(\.finding)
        switch format {
        case .json: return try JSONRenderer.render(report)
        case .sarif: return sarif(findings)
        case .junit: return junit(findings)
        case .github: return GitHubAnnotationRenderer.render(findings: findings)
        case .md, .html:
            var renderer = MarkdownRenderer(ruleCount: rules.count, maxRowsPerRule: configuration.report.maxRowsPerRule,
                                            details: details)
            if let templateFile { renderer.template = try Self.template(templateFile) }
            let markdown: String
            do {
                markdown = try renderer.render(report)
            } catch {
                throw SessionError("template \(templateFile ?? "report.md.mustache") is not valid Mustache: \(error)")
            }
            return format == .md ? markdown : HTMLRenderer.render(markdown: markdown)
        }
    }

    /// The fleet report in `format`: md or json; the other formats are not offered for a fleet (a
    /// SessionError, exit 2). Each database's rows follow `report.max_rows_per_rule` as in its own report.
    public func render(_ fleet: FleetReport, as format: ReportFormat) throws -> String {
        switch format {
        case .json: return try JSONRenderer.render(fleet)
        case .md:
            let rows = MarkdownRenderer(ruleCount: rules.count, maxRowsPerRule: configuration.report.maxRowsPerRule)
            return try FleetMarkdownRenderer(report: rows).render(fleet)
        case .html, .sarif, .junit, .github:
            throw SessionError("--format \(format.rawValue) is not supported for a fleet (several databases, or merge): "
                               + "use md or json")
        }
    }

    /// The lint output in `format`.
    /// - Parameter details: md: every finding of the rules the table summarises, in a `## Details` appendix.
    public func render(_ report: LintReport, as format: LintFormat, details: Bool = false) -> String {
        switch format {
        case .text:
            return TextFindingsRenderer.render(findings: report.findings)
                + "Quality Gate (Infra): \(report.gate.label) — \(report.files) file\(report.files == 1 ? "" : "s") linted\n"
        case .md: return Linter.markdown(report, maxRowsPerRule: configuration.report.maxRowsPerRule, details: details)
        case .json: return FindingsJSONWriter.render(report, rules: rules.map(\.ruleDescription))
        case .sarif: return sarif(report.findings)
        case .junit: return junit(report.findings)
        case .github: return GitHubAnnotationRenderer.render(findings: report.findings)
        }
    }

    /// The lint JSON as consecutive UTF-8 pieces (`FindingsJSONWriter.write`), its rules table
    /// from this session's rules.
    public func writeJSON(_ report: LintReport, to consume: ([UInt8]) -> Void) {
        FindingsJSONWriter.write(report, rules: rules.map(\.ruleDescription), to: consume)
    }

    /// The text of a `--template` file (size-capped, a regular file), or a SessionError saying why not.
    static func template(_ file: String) throws -> String {
        switch RegularFile.text(file, limit: RegularFile.configurationLimit) {
        case .success(let text): return text
        case .failure(let refusal): throw SessionError("cannot read template \(file): \(refusal.reason)")
        }
    }

    /// SARIF and JUnit list every rule, SQL rule packs included: lint loads the packs for them.
    public static func lintNeedsSQLPacks(_ format: LintFormat) -> Bool { format == .sarif || format == .junit }

    func sarif(_ findings: [Finding]) -> String {
        SARIFRenderer.render(findings: findings, rules: rules.map(\.ruleDescription), toolVersion: InfraGuardianVersion.current)
    }

    func junit(_ findings: [Finding]) -> String {
        JUnitRenderer.render(findings: findings, rules: rules.map(\.ruleDescription), failOn: configuration.gate.failOn)
    }
}
