import Foundation

/// File names follow `YYYYMMDDHHMM_description.sql` (14-digit timestamps are accepted too).
struct MigrationFileNaming: Rule {
    static let description = RuleDescription(
        id: "migration-file-naming", category: .migration, severity: .medium,
        summary: "A migration file name is not `YYYYMMDDHHMM_description.sql`.",
        why: """
        dbmate and Supabase order migrations by the leading number. A name without a real timestamp \
        sorts unpredictably against teammates' files, and a missing description hides what the file does.
        """,
        fix: "Rename the file (before it is applied anywhere) to `YYYYMMDDHHMM_description.sql`, e.g. `202401151030_add_leads_source.sql`, lower-case words joined by underscores.",
        bad: [.migration("SELECT 1;", fileName: "20240101_initial.sql"),
              .migration("SELECT 1;", fileName: "202413011200_bad_month.sql"),
              .migration("SELECT 1;", fileName: "202401011200.sql")],
        good: [.migration("SELECT 1;", fileName: "202401011200_create_leads.sql"),
               .migration("SELECT 1;", fileName: "20240101120000_create_leads.sql")])

    func check(_ input: AuditInput, _ context: RuleContext) -> [Finding] {
        input.migrations.files.compactMap { file in
            guard let problem = Self.problem(with: file.fileName) else { return nil }
            return finding("\(file.fileName): \(problem).", at: Location(file: file.path))
        }
    }

    /// Why the name is wrong, or nil when it is fine.
    static func problem(with name: String) -> String? {
        guard name.hasSuffix(".sql") else { return "the file does not end in .sql" }
        let stem = name.dropLast(4)
        let digits = String(stem.prefix { $0.isASCII && $0.isNumber })
        guard digits.count == 12 || digits.count == 14 else {
            return "expected a 12-digit timestamp YYYYMMDDHHMM (or 14 digits with seconds), found \(digits.isEmpty ? "none" : "\(digits.count) digits")"
        }
        guard isValidTimestamp(digits) else { return "\(digits) is not a valid date and time" }
        let rest = stem.dropFirst(digits.count)
        guard rest.hasPrefix("_"), rest.count > 1 else { return "the timestamp must be followed by _description" }
        let description = rest.dropFirst()
        guard description.allSatisfy({ ($0.isASCII && ($0.isLowercase || $0.isNumber)) || $0 == "_" }) else {
            return "the description should be lower-case words, digits and underscores"
        }
        return nil
    }

    static func isValidTimestamp(_ digits: String) -> Bool {
        let values = stride(from: 0, to: digits.count, by: 2).map { offset -> Int in
            let start = digits.index(digits.startIndex, offsetBy: offset)
            let end = digits.index(start, offsetBy: 2, limitedBy: digits.endIndex) ?? digits.endIndex
            return Int(digits[start..<end]) ?? -1
        }
        // [yy, yy, MM, dd, HH, mm, (ss)]
        guard values.count >= 6 else { return false }
        let month = values[2], day = values[3], hour = values[4], minute = values[5]
        let second = values.count > 6 ? values[6] : 0
        return (1...12).contains(month) && (1...31).contains(day) && (0...23).contains(hour)
            && (0...59).contains(minute) && (0...59).contains(second)
    }
}
