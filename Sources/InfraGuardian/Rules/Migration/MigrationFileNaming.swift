import Foundation

/// File names follow `YYYYMMDDHHMM_description.sql` (14-digit timestamps are accepted too).
struct MigrationFileNaming: Rule {
    static let description = RuleDescription(
        id: "migration-file-naming", category: .migration, severity: .medium,
        summary: "A migration file name is not `YYYYMMDDHHMM_description.sql`.",
        finds: "a name that is not `YYYYMMDDHHMM_description.sql` (14-digit timestamps accepted)",
        why: """
        dbmate and Supabase order migrations by the leading number. A name without a real timestamp \
        sorts unpredictably against teammates' files, and a missing description hides what the file does.
        """,
        fix: "Rename the file (before it is applied anywhere) to `YYYYMMDDHHMM_description.sql`, e.g. `202401151030_add_leads_source.sql`, lower-case words joined by underscores.",
        // Supabase files: the CLI accepts any `<digits>_<name>.sql`; only an impossible date in timestamp-
        // shaped digits is worth a LOW finding (it still orders fine).
        bad: [.migration("SELECT 1;", fileName: "20240101_initial.sql", at: .file),
              .migration("SELECT 1;", fileName: "202413011200_bad_month.sql", at: .file),
              .migration("SELECT 1;", fileName: "202401011200.sql", at: .file)],
        good: [.migration("SELECT 1;", fileName: "202401011200_create_leads.sql"),
               .migration("SELECT 1;", fileName: "20240101120000_create_leads.sql"),
               .migration("SELECT 1;", fileName: "0001_Init-Schema.sql", kind: .supabase),
               .migration("SELECT 1;", fileName: "create-leads.sql", kind: .psql)])

    func check(_ input: AuditInput, _ context: RuleContext) -> [Finding] {
        input.migrations.files.compactMap { file in
            guard !Self.isWellNamed(path: file.path) else { return nil }
            if file.kind == .supabase { return supabaseFinding(file) }
            // Files run with psql follow whatever order the team's script applies them in.
            if file.kind == .psql { return nil }
            guard let problem = Self.problem(with: file.fileName) else { return nil }
            return finding("\(file.fileName): \(problem).", at: Location(file: file.path))
        }
    }

    /// The Supabase CLI takes `^[0-9]+_.*\.sql$` (any number of digits, any name): a name of that shape
    /// is fine, except timestamp-shaped digits (12 or 14) that are no real date and time: LOW.
    private func supabaseFinding(_ file: MigrationFile) -> Finding? {
        let name = file.fileName
        let digits = String(name.prefix { $0.isASCII && $0.isNumber })
        guard name.hasSuffix(".sql"), !digits.isEmpty, name.dropFirst(digits.count).hasPrefix("_") else {
            return finding("\(name): the Supabase CLI only runs files named <digits>_<name>.sql; this one is skipped.",
                           at: Location(file: file.path),
                           fix: "Rename it to `<timestamp>_<name>.sql`, e.g. `20240115103000_add_leads_source.sql` (`supabase migration new add_leads_source` makes one).")
        }
        guard digits.count == 12 || digits.count == 14, !Self.isValidTimestamp(digits) else { return nil }
        var low = finding("\(name): \(digits) is not a valid date and time; the Supabase CLI still orders it by its digits.",
                          at: Location(file: file.path),
                          fix: "Nothing breaks; before the file is applied anywhere, a real timestamp (`supabase migration new NAME`) keeps the order readable.")
        low.severity = .low
        return low
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

    /// True when the last component of `path` is `YYYYMMDDHHMM[SS]_description.sql` with a valid
    /// date and time and a description of `a-z`, `0-9` and `_`: `problem(with:)` would find nothing.
    /// Byte by byte, so the usual, well-named file costs no `Character` work; any other name (or
    /// path) is left to `problem(with:)`.
    static func isWellNamed(path: String) -> Bool {
        var path = path
        return path.withUTF8 { bytes in
            guard let last = bytes.last, last != UInt8(ascii: "/") else { return false }
            let start = (bytes.lastIndex(of: UInt8(ascii: "/")) ?? -1) + 1
            let name = UnsafeBufferPointer(rebasing: bytes[start...])
            func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
            var digits = 0
            while digits < name.count, isDigit(name[digits]) { digits += 1 }
            // The timestamp, "_", at least one description byte, ".sql".
            guard digits == 12 || digits == 14, name.count >= digits + 6, name[digits] == UInt8(ascii: "_"),
                  name[(name.count - 4)...].elementsEqual(".sql".utf8) else { return false }
            let description = name[(digits + 1)..<(name.count - 4)]
            guard description.allSatisfy({ isDigit($0) || ($0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "z")) || $0 == UInt8(ascii: "_") })
            else { return false }
            func pair(_ offset: Int) -> Int { Int(name[offset] - UInt8(ascii: "0")) * 10 + Int(name[offset + 1] - UInt8(ascii: "0")) }
            let month = pair(4), day = pair(6), hour = pair(8), minute = pair(10), second = digits == 14 ? pair(12) : 0
            return (1...12).contains(month) && (1...31).contains(day) && (0...23).contains(hour)
                && (0...59).contains(minute) && (0...59).contains(second)
        }
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
