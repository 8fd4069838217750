import Foundation

/// A range-partitioned table whose last partition ends soon (or has ended), with no DEFAULT partition.
struct PartitionHorizon: ReadsAppliedSchema {
    static let description = RuleDescription(
        id: "partition-horizon", category: .migration, severity: .medium,
        summary: "A range-partitioned table has no partition past a date that is near or past: inserts beyond it fail.",
        finds: """
        a table the migrations create with `PARTITION BY RANGE`, with no DEFAULT partition, whose partitions' \
        last upper bound (`FOR VALUES … TO ('2025-01-01')`) is a literal date within \
        `thresholds.partition_horizon_days` (30) of the evaluation time, or before it; not judged: MAXVALUE \
        bounds, bounds that are not literal dates, folders that create partitions at run time (pg_partman, \
        `PARTITION OF`/`ATTACH PARTITION` in DO blocks or functions)
        """,
        why: """
        A row whose key falls outside every partition has nowhere to go: the INSERT fails ("no partition of \
        relation … found for row"). Partitions made by hand in migrations run out on a calendar date, and the \
        first sign is failing writes in production on that day.
        """,
        fix: """
        Create the next partitions ahead of time (a migration, or pg_partman / a scheduled job), and consider a \
        DEFAULT partition to catch rows outside every range:
          CREATE TABLE IF NOT EXISTS lead_events_2025_02 PARTITION OF lead_events FOR VALUES FROM ('2025-02-01') TO ('2025-03-01');
        """,
        bad: [.migration("CREATE TABLE IF NOT EXISTS lead_events (id bigint, at date NOT NULL) PARTITION BY RANGE (at);\nCREATE TABLE IF NOT EXISTS lead_events_2025_01 PARTITION OF lead_events FOR VALUES FROM ('2025-01-01') TO ('2025-02-01');",
                         now: Self.exampleNow, at: .line(3))],
        good: [.migration("CREATE TABLE IF NOT EXISTS lead_events (id bigint, at date NOT NULL) PARTITION BY RANGE (at);\nCREATE TABLE IF NOT EXISTS lead_events_2025_01 PARTITION OF lead_events FOR VALUES FROM ('2025-01-01') TO ('2025-02-01');\nCREATE TABLE IF NOT EXISTS lead_events_default PARTITION OF lead_events DEFAULT;",
                          now: Self.exampleNow),
               .migration("CREATE TABLE IF NOT EXISTS lead_events (id bigint, at date NOT NULL) PARTITION BY RANGE (at);\nCREATE TABLE IF NOT EXISTS lead_events_2025 PARTITION OF lead_events FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');",
                          now: Self.exampleNow)])

    /// 2025-01-20: the examples' evaluation time.
    static let exampleNow = Date(timeIntervalSince1970: 1_737_331_200)

    func check(_ input: AuditInput, _ context: RuleContext) -> [Finding] {
        let analysis = context.migrations(input)
        guard !analysis.upStatementPositions(kind: .createStmt).isEmpty else { return [] }
        let schema = analysis.shared(AppliedSchema.self)
        let ranged = schema.finalTables.filter { $0.value.partitionStrategy == "range" && !$0.value.partitions.isEmpty }
        guard !ranged.isEmpty, !Self.createsPartitionsAtRunTime(schema) else { return [] }
        let horizon = context.configuration.thresholds.partitionHorizonDays
        return ranged.keys.sorted().compactMap { name -> Finding? in
            guard let table = ranged[name], !table.partitions.contains(where: \.isDefault) else { return nil }
            var last: (partition: ReplayedPartition, date: Date, text: String)?
            for partition in table.partitions {
                switch partition.upper {
                case .maxValue?: return nil
                case .date(let text)?:
                    guard let date = Self.date(text) else { return nil }
                    if last.map({ date > $0.date }) ?? true { last = (partition, date, text) }
                default: return nil
                }
            }
            guard let last else { return nil }
            let days = Int((last.date.timeIntervalSince(context.now) / 86_400).rounded(.down))
            guard days <= horizon else { return nil }
            let when = days < 0 ? "\(-days) day\(days == -1 ? "" : "s") ago" : days == 0 ? "today" : "in \(days) day\(days == 1 ? "" : "s")"
            let statement = analysis.upStatements[last.partition.position].statement
            return finding("\(name) is range-partitioned with no DEFAULT partition, and its last partition \(last.partition.name) ends at \(last.text), \(when): inserts at or past it fail (\"no partition of relation \\\"\(name)\\\" found for row\").",
                           at: statement.location,
                           fix: "Create the next partitions ahead of time (in a migration, or with pg_partman or a scheduled job), for instance:\n  CREATE TABLE IF NOT EXISTS \(name)_next PARTITION OF \(name) FOR VALUES FROM ('\(last.text)') TO ('<next bound>');\nA DEFAULT partition catches rows outside every range meanwhile.")
        }
    }

    /// pg_partman, or DO blocks and functions that create or attach partitions: the migrations do not
    /// show the partitions the database will have.
    static func createsPartitionsAtRunTime(_ schema: AppliedSchema) -> Bool {
        schema.extensionSteps["pg_partman"] != nil || schema.opaqueSQL.contains("partition of")
            || schema.opaqueSQL.contains("attach partition") || schema.opaqueSQL.contains("create_parent")
    }

    /// `2025-01-01`, or a timestamp starting with it, as midnight UTC of that day.
    static func date(_ text: String) -> Date? {
        let parts = text.prefix(10).split(separator: "-")
        guard text.count == 10 || text.dropFirst(10).first.map({ $0 == " " || $0 == "T" }) == true,
              parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
              (1...12).contains(month), (1...31).contains(day) else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        guard let utc = TimeZone(identifier: "UTC") else { return nil }
        calendar.timeZone = utc
        let components = DateComponents(year: year, month: month, day: day)
        guard components.isValidDate(in: calendar) else { return nil }
        return calendar.date(from: components)
    }
}
