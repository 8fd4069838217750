import Dispatch
import Foundation

/// The one entry point of the library: options in, a loaded configuration, rule packs and rule set
/// out, and the operations every front end offers (collect, audit, lint, health, render). The
/// command line, the agent and the MCP server all go through it, so they load and check the same
/// way.
///
/// Concurrency: the operations are synchronous and spread their own work over the cores with
/// Dispatch (`Parallel.map`, which blocks its caller). Async callers use the `async` variants, which
/// run that work on a Dispatch queue and suspend meanwhile, so they never hold a thread of Swift's
/// cooperative pool.
public struct Session: Sendable {
    public let options: SessionOptions
    public let configuration: Configuration
    public let packs: [RulePack]
    public let evaluator: Evaluator
    /// The baseline `audit` and `lint` gate against (`--baseline` or `gate.baseline`), when one is named.
    public let baseline: LoadedBaseline?

    /// Loads the configuration and the rule packs it names (plus the built-in ones) and checks the
    /// rule settings. Throws `ConfigurationError` (exit 2 on the command line).
    public init(_ options: SessionOptions) throws {
        self.options = options
        configuration = try ConfigurationLoader.load(explicitPath: options.configFile, directory: options.directory)
        let packsMatter = options.loadsSQLPacks || !configuration.rules.isEmpty || !configuration.rulePacks.isEmpty
        packs = packsMatter ? try RulePackLoader.load(configuration, directory: options.directory) : []
        evaluator = Evaluator(rules: RuleRegistry.all(packs: packs))
        if options.validateRuleSettings, let error = evaluator.unknownRuleSettings(in: configuration).first {
            throw error
        }
        baseline = try Self.loadBaseline(options.baselineFile ?? configuration.gate.baseline, directory: options.directory)
    }

    /// A named baseline that cannot be read is an error (exit 2), never an empty baseline.
    private static func loadBaseline(_ path: String?, directory: String) throws -> LoadedBaseline? {
        guard let path else { return nil }
        let resolved = path.hasPrefix("/") ? path : (directory as NSString).appendingPathComponent(path)
        do {
            return LoadedBaseline(baseline: try Baseline.load(resolved), path: path)
        } catch let problem as Baseline.Problem {
            throw SessionError(problem.message)
        }
    }

    public var rules: [any Rule] { evaluator.rules }

    /// Reads the live systems and the migration files (never throws: failures are in the input).
    public func collect(now: Date = Date()) -> AuditInput {
        Auditor.collect(options.auditRequest, configuration: configuration, packs: packs, now: now)
    }

    /// The report for `input` (a snapshot), or for a fresh collection.
    public func audit(_ input: AuditInput? = nil) -> Report {
        let progress = options.progress
        if input == nil { progress?.step("collecting the live databases, migrations and sources") }
        let input = input ?? collect()
        progress?.step("evaluating \(rules.count) rules on \(Self.scope(input))")
        let report = ReportBuilder(evaluator: evaluator).build(input, configuration: configuration, baseline: baseline)
        progress?.step("rendering \(report.issues.count) findings")
        return report
    }

    /// "20,000 tables, 80,000 indexes, 12 migration files" for the progress lines.
    private static func scope(_ input: AuditInput) -> String {
        var parts: [String] = []
        if let pg = input.postgres.value {
            parts.append("\(Format.grouped(Int64(pg.tables.count))) tables, \(Format.grouped(Int64(pg.indexes.count))) indexes")
        }
        parts.append("\(input.migrations.files.count) migration file\(input.migrations.files.count == 1 ? "" : "s")")
        return parts.joined(separator: ", ")
    }

    /// The migration files of the configured folders (`--migrations`, else `paths.migrations`, else the defaults).
    public func configuredMigrations() -> MigrationSet {
        MigrationCollector.collect(folders: options.migrationFolders ?? configuration.paths.migrations,
                                   root: options.directory, settings: configuration.migrations)
    }

    /// The migration rules over `paths` (folders, files or globs; empty: the configured folders).
    public func lint(paths: [String] = []) throws -> LintReport {
        var set = paths.isEmpty
            ? configuredMigrations()
            : MigrationCollector.collect(paths: paths, root: options.directory, settings: configuration.migrations)
        if set.files.isEmpty && set.folders.allSatisfy({ $0.error == nil }) {
            let looked = paths.isEmpty ? (options.migrationFolders ?? Paths.defaultMigrationFolders) : paths
            throw SessionError("no migration files to lint (looked in \(looked.joined(separator: ", ")))")
        }
        if let base = options.base { set = GitBaseline.compare(set, base: base, root: options.directory) }
        return Linter.lint(set, configuration: configuration, rules: rules, baseline: baseline)
    }

    /// Today's findings as a baseline (`infra-guardian baseline`): the audit's, waived ones left out
    /// (their waiver already excuses them); history is recorded too, so `lint` (which reads no
    /// database and so has no history) accepts it as well. Any baseline already named is ignored.
    public func recordBaseline(_ input: AuditInput? = nil, now: Date = Date()) -> (baseline: Baseline, report: Report) {
        let input = input ?? collect(now: now)
        var configuration = configuration
        configuration.gate.history = .report
        let report = ReportBuilder(evaluator: evaluator).build(input, configuration: configuration)
        let baseline = Baseline(findings: report.issues.map(\.finding), migrations: input.migrations,
                                generatedAt: now, toolVersion: InfraGuardianVersion.current)
        return (baseline, report)
    }

    /// The baseline file's text.
    public func encode(_ baseline: Baseline) throws -> String {
        do { return try baseline.encoded() } catch { throw SessionError("cannot encode the baseline: \(error)") }
    }

    /// PostgreSQL, Redis and pending migrations, judged against the seed's thresholds.
    public func health() -> HealthStatus {
        HealthStatus(input: collect(), configuration: configuration)
    }

    public func collect(now: Date = Date()) async -> AuditInput { await offPool { collect(now: now) } }
    public func audit(_ input: AuditInput? = nil) async -> Report { await offPool { audit(input) } }
    public func lint(paths: [String] = []) async throws -> LintReport {
        try await offPool { Result { try lint(paths: paths) } }.get()
    }
    public func health() async -> HealthStatus { await offPool { health() } }

    private func offPool<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T { await Self.offPool(work) }

    /// `work` on a Dispatch queue; the caller's task suspends until it is done.
    static func offPool<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            DispatchQueue.global(qos: .userInitiated).async { continuation.resume(returning: work()) }
        }
    }
}

/// A request the session cannot serve as asked (nothing to lint, an unreadable template…): exit 2.
public struct SessionError: Error, CustomStringConvertible, Sendable {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
