import Foundation

extension Session {
    /// `--jobs`: how many databases a fleet reads at once, and the bounds a user may give.
    public static let defaultFleetJobs = 4
    public static let fleetJobsRange = 1...64

    /// Audits every database of `list` as `audit` audits one, `jobs` at a time. The migration
    /// files, Redis, the verification and the source tree do not depend on the database: they are
    /// read once and paired with each database's snapshot. Each database gets the whole `--deadline`
    /// from when its own audit starts, so one that never answers costs its deadline, not the fleet's
    /// others theirs. Never throws: an unreachable database is its report's unhealthy component.
    public func auditFleet(_ list: FleetTargetList, jobs: Int = defaultFleetJobs, now: Date = Date()) -> FleetReport {
        let targets = list.targets
        guard !targets.isEmpty else { return FleetReport(databases: [], problems: list.problems, generatedAt: now) }
        let request = options.auditRequest
        let seconds = request.deadline?.seconds ?? Deadline.defaultAuditSeconds
        let configuration = configuration, packs = packs, baseline = baseline
        let builder = ReportBuilder(evaluator: evaluator)
        let started = Auditor.SharedCollection.start(request, configuration: configuration, now: now,
                                                     deadline: Deadline(seconds: seconds))
        // Read beside the first databases; each database's report waits for it only once its snapshot is in.
        let shared = Pending { started.finish(request, configuration: configuration) }
        let reports = Parallel.map(targets.count, width: jobs) { index in
            let postgres = Auditor.collectPostgres(conninfo: targets[index].conninfo, configuration: configuration,
                                                   packs: packs, now: now, deadline: Deadline(seconds: seconds))
            return builder.build(shared.value.input(postgres: postgres, collectedAt: now), configuration: configuration,
                                 baseline: baseline)
        }
        return FleetReport(databases: reports.map(FleetDatabase.init), problems: list.problems, generatedAt: now)
    }

    public func auditFleet(_ list: FleetTargetList, jobs: Int = defaultFleetJobs, now: Date = Date()) async -> FleetReport {
        await Self.offPool { auditFleet(list, jobs: jobs, now: now) }
    }
}
