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
    }

    public var rules: [any Rule] { evaluator.rules }

    /// Reads the live systems and the migration files (never throws: failures are in the input).
    public func collect(now: Date = Date()) -> AuditInput {
        Auditor.collect(options.auditRequest, configuration: configuration, packs: packs, now: now)
    }

    /// The report for `input` (a snapshot), or for a fresh collection.
    public func audit(_ input: AuditInput? = nil) -> Report {
        ReportBuilder(evaluator: evaluator).build(input ?? collect(), configuration: configuration)
    }

    /// The migration rules over `paths` (folders, files or globs; empty: the configured folders).
    public func lint(paths: [String] = []) throws -> LintReport {
        var set = paths.isEmpty
            ? MigrationCollector.collect(folders: options.migrationFolders ?? configuration.paths.migrations,
                                         root: options.directory)
            : MigrationCollector.collect(paths: paths, root: options.directory)
        if set.files.isEmpty && set.folders.allSatisfy({ $0.error == nil }) {
            let looked = paths.isEmpty ? (options.migrationFolders ?? Paths.defaultMigrationFolders) : paths
            throw SessionError("no migration files to lint (looked in \(looked.joined(separator: ", ")))")
        }
        if let base = options.base { set = GitBaseline.compare(set, base: base, root: options.directory) }
        return Linter.lint(set, configuration: configuration, rules: rules)
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

    /// `work` on a Dispatch queue; the caller's task suspends until it is done.
    private func offPool<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
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
