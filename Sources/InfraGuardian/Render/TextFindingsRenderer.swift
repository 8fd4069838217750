/// Compiler-style lines for terminals, editors' quickfix lists and pre-commit:
///
///     db/migrations/202401011200_x.sql:12:1: high: CREATE INDEX blocks writes [require-concurrent-index]
///         fix: CREATE INDEX CONCURRENTLY ...
///     3 findings (1 HIGH, 2 MEDIUM), 1 waived
///
/// A waived finding shows `waived (reason)` where the severity would be, a history or baseline one
/// `history (high)` or `baseline (high)`; none of them is counted among the findings of the summary line.
public enum TextFindingsRenderer {
    public static func render(findings: [Finding]) -> String {
        var lines: [String] = []
        for finding in findings {
            let label = finding.waiver.map { "waived (\(oneLine($0.reason)))" }
                ?? finding.exemption.map { "\($0.rawValue) (\(finding.severity.rawValue.lowercased()))" }
                ?? finding.severity.rawValue.lowercased()
            lines.append("\(place(finding.location)): \(label): \(oneLine(finding.message)) [\(finding.ruleID)]")
            lines.append("    fix: \(oneLine(finding.fix))")
        }
        lines.append(summary(findings))
        return lines.joined(separator: "\n") + "\n"
    }

    /// `3 findings (1 HIGH, 2 MEDIUM), 1 waived`, or `no findings`.
    public static func summary(_ findings: [Finding]) -> String {
        let active = findings.filter(\.isActive)
        let waived = findings.filter(\.isWaived).count
        let history = findings.filter { $0.exemption == .history }.count
        let baseline = findings.filter { $0.exemption == .baseline }.count
        if findings.isEmpty { return "no findings" }
        var text = "\(active.count) finding\(active.count == 1 ? "" : "s")"
        let counts = Severity.allCases.compactMap { severity -> String? in
            let count = active.filter { $0.severity == severity }.count
            return count == 0 ? nil : "\(count) \(severity.rawValue)"
        }
        if !counts.isEmpty { text += " (\(counts.joined(separator: ", ")))" }
        if waived > 0 { text += ", \(waived) waived" }
        if history > 0 { text += ", \(history) history" }
        if baseline > 0 { text += ", \(baseline) in the baseline" }
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
    /// Runs of line breaks (what `Character.isNewline` calls one: LF, VT, FF, CR, NEL, U+2028,
    /// U+2029) become one space; leading and trailing ones go. On UTF-8 bytes: splitting by
    /// Character was most of `lint --format text`'s time (a line break is always a Character of its own).
    static func oneLine(_ text: String) -> String {
        let bytes = Array(text.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var index = 0, pendingSpace = false
        while index < bytes.count {
            let length = lineBreakLength(bytes, at: index)
            if length > 0 {
                pendingSpace = !out.isEmpty
                index += length
                continue
            }
            if pendingSpace { out.append(UInt8(ascii: " ")); pendingSpace = false }
            out.append(bytes[index])
            index += 1
        }
        return ControlCharacters.escaped(String(decoding: out, as: UTF8.self))
    }

    /// The number of bytes of the line break at `index`, 0 when there is none.
    private static func lineBreakLength(_ bytes: [UInt8], at index: Int) -> Int {
        switch bytes[index] {
        case 0x0A...0x0D: return 1
        case 0xC2 where index + 1 < bytes.count && bytes[index + 1] == 0x85: return 2
        case 0xE2 where index + 2 < bytes.count && bytes[index + 1] == 0x80 && (bytes[index + 2] == 0xA8 || bytes[index + 2] == 0xA9):
            return 3
        default: return 0
        }
    }
}
