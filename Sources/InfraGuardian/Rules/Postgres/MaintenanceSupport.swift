import Foundation

/// How far a sequence has gone towards the largest value it may hand out: the smaller of its own
/// bound and the bound of the narrowest column it feeds (a bigint sequence behind an integer column
/// fails at 2,147,483,647, not at 9.2e18).
struct SequenceCapacity {
    var limit: Int64
    var usedPercent: Double
    /// The column whose type sets the limit, when it is narrower than the sequence.
    var limitingColumn: SequenceColumn?

    init?(_ sequence: SequenceUsage) {
        guard let last = sequence.lastValue, sequence.increment != 0 else { return nil }
        if sequence.increment > 0 {
            var limit = sequence.maxValue
            for column in sequence.columns {
                if let max = IntegerType.maximum(column.type), max < limit {
                    limit = max
                    limitingColumn = column
                }
            }
            self.limit = limit
            usedPercent = limit > 0 ? max(Double(last), 0) * 100 / Double(limit) : 100
        } else {
            var limit = sequence.minValue
            for column in sequence.columns {
                if let min = IntegerType.minimum(column.type), min > limit {
                    limit = min
                    limitingColumn = column
                }
            }
            self.limit = limit
            usedPercent = limit < 0 ? max(Double(last), Double(limit)) * 100 / Double(limit) : 100
        }
    }
}

enum IntegerType {
    static func maximum(_ type: String) -> Int64? {
        switch type {
        case "smallint", "int2": Int64(Int16.max)
        case "integer", "int4", "int": Int64(Int32.max)
        case "bigint", "int8": Int64.max
        default: nil
        }
    }

    static func minimum(_ type: String) -> Int64? {
        switch type {
        case "smallint", "int2": Int64(Int16.min)
        case "integer", "int4", "int": Int64(Int32.min)
        case "bigint", "int8": Int64.min
        default: nil
        }
    }

    static func isNarrow(_ type: String) -> Bool { ["smallint", "int2", "integer", "int4", "int"].contains(type) }
}

/// Numbers and durations as the maintenance findings print them.
enum MaintenanceText {
    /// 2147483647 → "2,147,483,647".
    static func count(_ value: Int64) -> String {
        let digits = String(value.magnitude)
        var groups: [Substring] = []
        var end = digits.endIndex
        while end > digits.startIndex {
            let start = digits.index(end, offsetBy: -3, limitedBy: digits.startIndex) ?? digits.startIndex
            groups.insert(digits[start..<end], at: 0)
            end = start
        }
        return (value < 0 ? "-" : "") + groups.joined(separator: ",")
    }

    static func percent(_ value: Double) -> String {
        value >= 10 || value == value.rounded() ? "\(Int(value.rounded())) %" : String(format: "%.1f %%", value)
    }

    static func duration(_ seconds: Double) -> String {
        switch seconds {
        case ..<120: return seconds < 10 ? String(format: "%.1f s", seconds) : "\(Int(seconds.rounded())) s"
        case ..<7200: return "\(Int((seconds / 60).rounded())) min"
        case ..<172_800: return "\(Int((seconds / 3600).rounded())) h"
        default: return "\(Int((seconds / 86400).rounded())) days"
        }
    }

    /// Who opened a session, for grouping and locations: "app/api" (user/application).
    static func owner(_ session: SessionActivity) -> String {
        let application = session.application.flatMap { $0.isEmpty ? nil : $0 } ?? "(none)"
        return "\(session.user ?? "?")/\(application)"
    }

    /// The same in words for messages: "user `app`, application `api`".
    static func ownerText(_ session: SessionActivity) -> String {
        let application = session.application.flatMap { $0.isEmpty ? nil : $0 } ?? "(none)"
        return "user `\(session.user ?? "?")`, application `\(application)`"
    }

    /// The safe way to widen an integer key on a live table, for fixes that need it.
    static func widenKeySteps(table: String, column: String, sequence: String?) -> String {
        let sequenceStep = sequence.map { "ALTER SEQUENCE \($0) AS bigint; " } ?? ""
        return """
        Small table: \(sequenceStep)ALTER TABLE \(table) ALTER COLUMN \(column) TYPE bigint; (rewrites the table and \
        its indexes under an ACCESS EXCLUSIVE lock, so only when that takes seconds). Large table, without downtime: \
        (1) \(sequenceStep)ALTER TABLE \(table) ADD COLUMN \(column)_new bigint; plus a trigger that copies \
        NEW.\(column) into \(column)_new on INSERT/UPDATE; (2) backfill in batches that each commit: \
        UPDATE \(table) SET \(column)_new = \(column) WHERE \(column) BETWEEN $1 AND $2 AND \(column)_new IS NULL; \
        (3) CREATE UNIQUE INDEX CONCURRENTLY ON \(table) (\(column)_new); then ADD CONSTRAINT ... \
        CHECK (\(column)_new IS NOT NULL) NOT VALID and VALIDATE CONSTRAINT; (4) in one short transaction with \
        SET lock_timeout = '2s': drop the old primary key, ADD CONSTRAINT ... PRIMARY KEY USING INDEX on the new \
        index, swap the column names, move the default or identity and ALTER SEQUENCE ... OWNED BY the new \
        column, drop the trigger; (5) widen every foreign-key column that references it the same way.
        """
    }
}

extension PostgresSnapshot {
    /// The sequences feeding a column, by qualified column name.
    func sequences(feeding schema: String, _ table: String, _ column: String) -> [SequenceUsage] {
        (maintenance?.sequences ?? []).filter { sequence in
            sequence.columns.contains { $0.schema == schema && $0.table == table && $0.column == column }
        }
    }
}
