import Foundation

/// `infra-guardian merge`: the JSON reports of separate runs (one CI job per shard) as one fleet
/// report. Each file is a single-database audit report (`audit --format json`) or a fleet report;
/// a file that is neither, or of another schema version, is a problem line of the merged report
/// (its gate fails, naming the file) and the others are merged.
public enum FleetMerge {
    public static func merge(_ paths: [String], now: Date = Date()) -> FleetReport {
        var databases: [FleetDatabase] = []
        var problems: [FleetProblem] = []
        for path in paths {
            switch read(path) {
            case .success(let fleet):
                databases += fleet.databases
                problems += fleet.problems
            case .failure(let problem):
                problems.append(problem)
            }
        }
        // The time of the latest audit merged: merging the same files twice gives the same report.
        return FleetReport(databases: databases, problems: problems,
                           generatedAt: databases.map(\.report.generatedAt).max() ?? now)
    }

    /// What one file brings: its databases and problems, or the one problem that it is.
    static func read(_ path: String) -> Result<(databases: [FleetDatabase], problems: [FleetProblem]), FleetProblem> {
        let source = SecretMasking.quotable(path)
        func refused(_ message: String) -> Result<(databases: [FleetDatabase], problems: [FleetProblem]), FleetProblem> {
            .failure(FleetProblem(source: source, message: "not merged: " + message))
        }
        let data: Data
        switch RegularFile.read(path, limit: SnapshotFile.limit) {
        case .success(let bytes): data = Data(bytes)
        case .failure(let refusal): return refused("cannot read it: \(refusal.reason)")
        }
        guard let object = try? JSONSerialization.jsonObject(with: data),
              let document = object as? [String: Any] else {
            return refused("not a JSON object (merge reads the output of `audit --format json`)")
        }
        do {
            switch Kind(document) {
            case .fleet:
                let fleet = try JSONRenderer.decoder().decode(FleetReport.self, from: data)
                return .success((fleet.databases, fleet.problems))
            case .audit:
                let report = try JSONRenderer.decoder().decode(Report.self, from: data)
                guard report.targets.postgres != nil else {
                    return refused("an audit report without a PostgreSQL database (static checks only): no database to merge")
                }
                return .success(([FleetDatabase(report: report)], []))
            case .refused(let reason):
                return refused(reason)
            }
        } catch {
            return refused("not a valid infra-guardian report: " + SecretMasking.quotable(SnapshotFile.describe(error), limit: 300))
        }
    }

    /// What a JSON document says it is, before it is decoded.
    enum Kind: Equatable {
        case fleet
        case audit
        case refused(String)

        init(_ document: [String: Any]) {
            let version = document["schemaVersion"] as? Int
            if let kind = document["kind"] {
                guard kind as? String == FleetReport.kind else {
                    self = .refused("a document of kind `\(SecretMasking.quotable("\(kind)", limit: 40))`, "
                                    + "not an infra-guardian audit or fleet report")
                    return
                }
                self = version == FleetReport.schemaVersion ? .fleet
                    : .refused("a fleet report of schema version \(version.map(String.init) ?? "unknown"); "
                               + "this infra-guardian merges fleet reports of version \(FleetReport.schemaVersion)")
                return
            }
            guard document["components"] != nil, document["gate"] != nil, document["targets"] != nil else {
                let lint = document["files"] != nil && document["findings"] != nil
                self = .refused(lint ? "a lint report (`lint --format json`), not an audit report"
                                     : "JSON, but not an infra-guardian audit report (no `targets`, `components`, `gate`)")
                return
            }
            // Version 1 had no key. Shards of one fleet come from one tool version; another version
            // could count other rules, and its summary would not be the fleet's.
            let audit = document["schemaVersion"] == nil ? 1 : version
            self = audit == RulesTable.schemaVersion ? .audit
                : .refused("an audit report of schema version \(audit.map(String.init) ?? "unknown"); this infra-guardian (\(InfraGuardianVersion.current)) "
                           + "merges version \(RulesTable.schemaVersion): audit that shard again with it")
        }
    }
}
