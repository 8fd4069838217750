/// Compiler-style lines for terminals, editors' quickfix lists and pre-commit:
///
///     db/migrations/202401011200_x.sql:12:1: high: CREATE INDEX blocks writes [require-concurrent-index]
///         fix: CREATE INDEX CONCURRENTLY ...
///     3 findings (1 HIGH, 2 MEDIUM), 1 waived
///
/// A waived finding shows `waived (reason)` where the severity would be and is not counted
/// among the findings of the summary line.
public enum TextFindingsRenderer {
    public static func render(findings: [Finding]) -> String {
        var lines: [String] = []
        for finding in findings {
            let label = finding.waiver.map { "waived (\(oneLine($0.reason)))" } ?? finding.severity.rawValue.lowercased()
            lines.append("\(place(finding.location)): \(label): \(oneLine(finding.message)) [\(finding.ruleID)]")
            lines.append("    fix: \(oneLine(finding.fix))")
        }
        lines.append(summary(findings))
        return lines.joined(separator: "\n") + "\n"
    }

    /// `3 findings (1 HIGH, 2 MEDIUM), 1 waived`, or `no findings`.
    public static func summary(_ findings: [Finding]) -> String {
        let active = findings.filter { !$0.isWaived }
        let waived = findings.count - active.count
        if findings.isEmpty { return "no findings" }
        var text = "\(active.count) finding\(active.count == 1 ? "" : "s")"
        let counts = Severity.allCases.compactMap { severity -> String? in
            let count = active.filter { $0.severity == severity }.count
            return count == 0 ? nil : "\(count) \(severity.rawValue)"
        }
        if !counts.isEmpty { text += " (\(counts.joined(separator: ", ")))" }
        if waived > 0 { text += ", \(waived) waived" }
        return text
    }

    static func place(_ location: Location) -> String {
        if let file = location.file, !file.isEmpty {
            return "\(ControlCharacters.escaped(file)):\(location.line ?? 1):\(location.column ?? 1)"
        }
        if let object = location.object, !object.isEmpty { return ControlCharacters.escaped(object) }
        return "infra-guardian"
    }

    /// One line, and no control character left (a message may quote a file name).
    private static func oneLine(_ text: String) -> String {
        ControlCharacters.escaped(text.split(whereSeparator: \.isNewline).joined(separator: " "))
    }
}
