/// The rows of Issues Found (Markdown, HTML): one per finding, except that a rule with more findings
/// than `report.max_rows_per_rule` shows one summary row, where its first (worst) finding would be.
/// IDs are the findings' own: a collapsed rule's rows are left out, never renumbered.
enum IssueRows {
    enum Row: Equatable {
        case finding(ReportIssue)
        case summary(RuleSummary)
    }

    /// What a summary row says about the findings of one rule it stands for.
    struct RuleSummary: Equatable {
        var ruleID: String
        var category: Category
        var worst: Severity
        var count: Int
        var firstID: String
        /// Set when the rule's issues are numbered one after another (`I003`–`I242`), so that a range
        /// names exactly them.
        var lastID: String?
        /// The tables, objects or files of its worst findings, de-duplicated, at most `namedObjects`.
        var objects: [String]
        /// How many other distinct objects or files its findings are on.
        var otherObjects: Int
        /// Every finding's place is a file (no database object): "more files", not "more objects".
        var onFilesOnly: Bool
        /// Waived, history or baseline findings among them.
        var notGating: Int
    }

    static let namedObjects = 3

    /// - Parameters:
    ///   - issues: every issue of the report, in ID order.
    ///   - shown: which of them belong in Issues Found (history findings have their own group).
    ///   - maxRowsPerRule: a rule with more shown findings than this is summarised; 0: no limit.
    static func rows(_ issues: [ReportIssue], shown: (ReportIssue) -> Bool, maxRowsPerRule: Int) -> [Row] {
        let positions = issues.indices.filter { shown(issues[$0]) }
        guard maxRowsPerRule > 0 else { return positions.map { .finding(issues[$0]) } }
        let byRule = Dictionary(grouping: positions) { issues[$0].finding.ruleID }
        var rows: [Row] = []
        for position in positions {
            let rule = issues[position].finding.ruleID
            guard let members = byRule[rule], members.count > maxRowsPerRule else {
                rows.append(.finding(issues[position]))
                continue
            }
            if members.first == position { rows.append(.summary(summary(members.map { issues[$0] }, positions: members))) }
        }
        return rows
    }

    /// - Parameter positions: the issues' indices in the report, ascending.
    private static func summary(_ members: [ReportIssue], positions: [Int]) -> RuleSummary {
        let findings = members.map(\.finding)
        let worst = findings.map(\.severity).min { $0.rank < $1.rank } ?? findings[0].severity
        var seen = Set<String>()
        var objects: [String] = []
        for finding in findings {
            guard let object = objectName(finding.location), !object.isEmpty, seen.insert(object).inserted else { continue }
            objects.append(object)
        }
        let contiguous = positions.count > 1 && positions[positions.count - 1] - positions[0] + 1 == positions.count
        return RuleSummary(ruleID: findings[0].ruleID, category: findings[0].category, worst: worst, count: findings.count,
                           firstID: members[0].id, lastID: contiguous ? members[members.count - 1].id : nil,
                           objects: Array(objects.prefix(namedObjects)),
                           otherObjects: max(0, objects.count - namedObjects),
                           onFilesOnly: findings.allSatisfy { $0.location.object == nil },
                           notGating: findings.filter { !$0.isActive }.count)
    }

    /// The table or object a finding is about, else its file.
    private static func objectName(_ location: Location) -> String? {
        location.object ?? location.file.map { ControlCharacters.escaped($0) }
    }
}

extension IssueRows.RuleSummary {
    /// `I003–I242`, or the first ID when the rule's issues are not numbered one after another.
    var idText: String { lastID.map { "\(firstID)–\($0)" } ?? firstID }

    var severityText: String {
        notGating == 0 ? worst.rawValue : "\(worst.rawValue) (\(notGating) not gating)"
    }

    /// "`rule`: 240 findings (worst: HIGH) on `a`, `b`, `c` and 237 more objects — every finding is in …".
    /// - Parameter details: whether the report carries the `## Details` appendix.
    func text(details: Bool) -> String {
        var text = "`\(ruleID)`: \(count) findings (worst: \(worst.rawValue))"
        if !objects.isEmpty {
            let named = objects.map { "`\($0)`" }
            if otherObjects > 0 {
                text += " on \(named.joined(separator: ", ")) and \(otherObjects) more \(onFilesOnly ? "files" : "objects")"
            } else if named.count == 1 {
                text += " on \(named[0])"
            } else {
                text += " on \(named.dropLast().joined(separator: ", ")) and \(named[named.count - 1])"
            }
        }
        let appendix = details ? "in Details below" : "in the `--details` appendix"
        return text + " — every finding is in the JSON/SARIF/JUnit outputs and \(appendix)"
    }
}
