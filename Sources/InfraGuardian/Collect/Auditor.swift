import Foundation

/// What to audit, as the user said it (flags) — merged with the configuration and the environment.
public struct AuditRequest: Sendable {
    public var databaseURL: String?
    public var redisURL: String?
    public var migrationFolders: [String]?
    public var sourceRoot: String?
    /// A git revision to compare migration files with (`--base`).
    public var base: String?
    /// Relative paths are resolved against this directory.
    public var workingDirectory: String
    public var environment: [String: String]
    /// The overall time the live collection may take (`--deadline`); nil: the audit default (60 s).
    public var deadline: Deadline?
    /// Prove every migration file on this scratch target too (`audit --verify`); nil: not verified.
    public var verify: VerifyOptions?

    public init(databaseURL: String? = nil, redisURL: String? = nil, migrationFolders: [String]? = nil,
                sourceRoot: String? = nil, base: String? = nil, workingDirectory: String = FileManager.default.currentDirectoryPath,
                environment: [String: String] = ProcessInfo.processInfo.environment, deadline: Deadline? = nil,
                verify: VerifyOptions? = nil) {
        self.deadline = deadline
        self.verify = verify
        self.databaseURL = databaseURL
        self.redisURL = redisURL
        self.migrationFolders = migrationFolders
        self.sourceRoot = sourceRoot
        self.base = base
        self.workingDirectory = workingDirectory
        self.environment = environment
    }
}

/// The collect stage: the only code that touches the audited systems. Never throws: failures are
/// recorded in the input so that the report still renders.
public enum Auditor {
    /// - Parameter packs: rule packs whose queries run in the PostgreSQL session (see `RulePackLoader`).
    public static func collect(_ request: AuditRequest, configuration: Configuration, packs: [RulePack] = [],
                               now: Date = Date()) -> AuditInput {
        let deadline = request.deadline ?? Deadline(seconds: Deadline.defaultAuditSeconds)
        let shared = SharedCollection.start(request, configuration: configuration, now: now, deadline: deadline)
        var postgres = Collected<PostgresSnapshot>.notConfigured
        if let conninfo = ConnectionTarget.resolvePostgres(explicit: request.databaseURL ?? configuration.postgres.url,
                                                           environment: request.environment,
                                                           variable: configuration.postgres.urlEnv) {
            postgres = collectPostgres(conninfo: conninfo, configuration: configuration, packs: packs, now: now,
                                       deadline: deadline)
        }
        return shared.finish(request, configuration: configuration).input(postgres: postgres, collectedAt: now)
    }

    /// One PostgreSQL database, as `collect` reads it.
    static func collectPostgres(conninfo: String, configuration: Configuration, packs: [RulePack], now: Date,
                                deadline: Deadline) -> Collected<PostgresSnapshot> {
        PostgresCollector.collect(conninfo: conninfo, settings: configuration.postgres,
                                  measurements: MeasurementPlan(configuration), now: now,
                                  packRules: packs.flatMap(\.rules), schemas: configuration.schemas, deadline: deadline)
    }

    /// What every database of one run shares: the migration files, Redis, the verification on a
    /// scratch server and the source tree. `collect` pairs it with its one database; a fleet reads
    /// it once and pairs it with each database's snapshot.
    struct SharedCollection: Sendable {
        var migrations: MigrationSet
        var redis: Pending<Collected<RedisSnapshot>>?
        var otherRedis: [Pending<Collected<RedisSnapshot>>]
        var verification: Pending<MigrationVerification>?

        /// Reads the migration files and starts Redis and the verification on threads of their own.
        static func start(_ request: AuditRequest, configuration: Configuration, now: Date,
                          deadline: Deadline) -> SharedCollection {
            let folders = request.migrationFolders ?? configuration.paths.migrations
            var migrations = MigrationCollector.collect(folders: folders, root: request.workingDirectory,
                                                        settings: configuration.migrations)
            if let base = request.base {
                migrations = GitBaseline.compare(migrations, base: base, root: request.workingDirectory)
            }
            // Redis is read beside PostgreSQL: a stalled database must not spend Redis's share of the deadline.
            let (redis, otherRedis) = startRedis(request, configuration: configuration, now: now, deadline: deadline)
            // Verification runs on its own scratch server, beside the live reads (never on the audited database).
            let verification = request.verify.map { options in
                Pending { [migrations] in
                    MigrationVerifier.verify(migrations, targets: Set(migrations.files.map(\.path)), options: options)
                }
            }
            return SharedCollection(migrations: migrations, redis: redis, otherRedis: otherRedis, verification: verification)
        }

        /// Reads the source tree, then waits for Redis and the verification.
        func finish(_ request: AuditRequest, configuration: Configuration) -> SharedParts {
            let (sourceRoot, adapters) = collectAdapters(request, configuration: configuration)
            return SharedParts(migrations: migrations, redis: redis?.value ?? .notConfigured, otherRedis: otherRedis.map(\.value),
                               verification: verification?.value, sourceRoot: sourceRoot, adapters: adapters)
        }
    }

    /// The shared parts once read.
    struct SharedParts: Sendable {
        var migrations: MigrationSet
        var redis: Collected<RedisSnapshot>
        var otherRedis: [Collected<RedisSnapshot>]
        var verification: MigrationVerification?
        var sourceRoot: String?
        var adapters: AdapterGraph?

        /// The input of one database's audit.
        func input(postgres: Collected<PostgresSnapshot>, collectedAt: Date) -> AuditInput {
            var input = AuditInput(postgres: postgres, redis: redis, migrations: migrations, sourceRoot: sourceRoot,
                                   adapters: adapters, collectedAt: collectedAt, verification: verification)
            input.additionalRedis = otherRedis.isEmpty ? nil : otherRedis
            return input
        }
    }

    /// Every configured Redis, read beside each other: the main one (`--redis-url`, `redis.url`, the
    /// variable of `redis.url_env`) and those of roles with a URL of their own.
    public static func collectRedis(_ request: AuditRequest, configuration: Configuration,
                                    now: Date = Date()) -> (main: Collected<RedisSnapshot>, others: [Collected<RedisSnapshot>]) {
        let deadline = request.deadline ?? Deadline(seconds: Deadline.defaultAuditSeconds)
        let (main, others) = startRedis(request, configuration: configuration, now: now, deadline: deadline)
        return (main?.value ?? .notConfigured, others.map(\.value))
    }

    private static func startRedis(_ request: AuditRequest, configuration: Configuration, now: Date,
                                   deadline: Deadline) -> (Pending<Collected<RedisSnapshot>>?, [Pending<Collected<RedisSnapshot>>]) {
        let mainURL = RedisCollector.resolveTarget(explicit: request.redisURL ?? configuration.redis.url,
                                                   environment: request.environment, variable: configuration.redis.urlEnv)
        let settings = configuration.redis, thresholds = configuration.thresholds
        let main = mainURL.map { url in
            Pending { RedisCollector.collect(url: url, settings: settings, thresholds: thresholds, now: now, deadline: deadline) }
        }
        let others = settings.instancesByURL(environment: request.environment, main: mainURL).map { instance in
            Pending {
                RedisCollector.collect(url: instance.url, settings: settings, thresholds: thresholds,
                                       assignedRoles: instance.roles, now: now, deadline: deadline)
            }
        }
        return (main, others)
    }

    /// The source tree's adapter graph (`--source`, else `paths.source`), and its absolute root. A
    /// configuration can come from a pull request: its `paths.source` must stay in the checkout.
    public static func collectAdapters(_ request: AuditRequest, configuration: Configuration) -> (root: String?, graph: AdapterGraph?) {
        let resolve: (String) -> String = {
            $0.hasPrefix("/") ? $0 : URL(fileURLWithPath: $0, relativeTo: URL(fileURLWithPath: request.workingDirectory,
                                                                              isDirectory: true)).standardizedFileURL.path
        }
        guard let given = request.sourceRoot ?? configuration.paths.source else { return (nil, nil) }
        let root = resolve(given)
        let inside = resolve(".")
        if request.sourceRoot == nil, root != inside, !root.hasPrefix(inside.hasSuffix("/") ? inside : inside + "/") {
            var refused = AdapterGraph(root: given)
            refused.notes = ["paths.source points outside the working directory: not read (give --source to read it)"]
            return (root, refused)
        }
        var graph = AdapterGraphBuilder.build(root: root, settings: configuration.adapters)
        // Findings name files as the user gave the root (relative stays relative).
        graph.root = given
        return (root, graph)
    }
}
