/// GitHub Actions workflow commands (`::error file=...,line=...::message`): printed to stdout in a
/// job step, each line becomes an annotation on the pull request's diff.
/// GitHub shows at most 10 errors and 10 warnings per step, so this complements SARIF, not replaces it.
public enum GitHubAnnotationRenderer {
    public static func render(findings: [Finding]) -> String {
        findings.map(line).map { $0 + "\n" }.joined()
    }

    static func line(_ finding: Finding) -> String {
        var properties: [String] = []
        if let file = finding.location.file, !file.isEmpty {
            properties.append("file=" + escapeProperty(ControlCharacters.escaped(FindingPath.normalized(file))))
            if let line = finding.location.line, line >= 1 {
                properties.append("line=\(line)")
                if let column = finding.location.column, column >= 1 { properties.append("col=\(column)") }
            }
        }
        var title = finding.ruleID
        if finding.location.file == nil, let object = finding.location.object, !object.isEmpty {
            title += " (\(ControlCharacters.escaped(object)))"
        }
        properties.append("title=" + escapeProperty(title))

        var message = "\(finding.message) Fix: \(finding.fix)"
        if let note = finding.notGatingNote { message += " (\(note))" }
        message = ControlCharacters.escaped(message, keeping: ControlCharacters.isLineBreak)
        return "::\(command(finding)) \(properties.joined(separator: ","))::\(escapeData(message))"
    }

    /// CRITICAL/HIGH → error, MEDIUM → warning, LOW/INFO and every finding that does not gate
    /// (waived, history, baseline) → notice.
    static func command(_ finding: Finding) -> String {
        if !finding.isActive { return "notice" }
        switch finding.severity {
        case .critical, .high: return "error"
        case .medium: return "warning"
        case .low, .info: return "notice"
        }
    }

    /// The message part: `%`, CR and LF are encoded (as in the Actions toolkit's `escapeData`).
    static func escapeData(_ text: String) -> String { dataEscapes.apply(text) }

    /// Property values additionally encode `:` and `,`, which delimit the properties.
    static func escapeProperty(_ text: String) -> String { propertyEscapes.apply(text) }

    private static let dataEscapes = ASCIIReplacements(["%": "%25", "\r": "%0D", "\n": "%0A"])
    private static let propertyEscapes = ASCIIReplacements(["%": "%25", "\r": "%0D", "\n": "%0A", ":": "%3A", ",": "%2C"])
}
