import Foundation
import Yams

/// A configuration problem, with the offending key and line: exit code 2.
public struct ConfigurationError: Error, Equatable, CustomStringConvertible {
    public var file: String
    public var line: Int?
    public var key: String
    public var problem: String

    public init(file: String, line: Int?, key: String, problem: String) {
        self.file = file
        self.line = line
        self.key = key
        self.problem = problem
    }

    /// A key path as shown: setting names are, anything else (the first line of `/etc/shadow` read as
    /// a pack is a "key" too) is not repeated.
    static func shown(_ key: String) -> String {
        key.split(separator: ".", omittingEmptySubsequences: false).map { part in
            let name = part.prefix { $0 != "[" }
            let plain = !name.isEmpty && name.count <= 64
                && name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-") }
            return plain ? String(part) : "<key not shown>"
        }.joined(separator: ".")
    }

    /// Configurations and packs may come from a pull request: whatever of theirs is quoted here is
    /// escaped, cut short and has anything that looks like a credential masked.
    public var description: String {
        let place = SecretMasking.quotable(line.map { "\(file):\($0)" } ?? file, limit: 200)
        let keyText = key.isEmpty ? "" : "'\(Self.shown(key))': "
        return "\(place): \(keyText)\(SecretMasking.quotable(problem, limit: 300))"
    }
}

/// Reads `.infra-guardian.yml`. Unknown keys and wrong types are errors naming the key and line,
/// so a typo never silently turns a rule back on.
public enum ConfigurationLoader {
    /// What a configuration may ask of an audited server at most: it can come from a pull request.
    public enum Limits {
        public static let probes = 100
        public static let probeRuns = 10_000
        public static let pingSamples = 1_000
        public static let packRules = 500
    }

    public static let defaultFileName = ".infra-guardian.yml"

    /// Loads `explicitPath`, or `.infra-guardian.yml` in `directory` when it exists, or the defaults.
    public static func load(explicitPath: String?, directory: String) throws -> Configuration {
        if let explicitPath {
            return try load(file: explicitPath)
        }
        let implicit = (directory as NSString).appendingPathComponent(defaultFileName)
        guard FileManager.default.fileExists(atPath: implicit) else { return Configuration() }
        return try load(file: implicit)
    }

    public static func load(file: String) throws -> Configuration {
        let text: String
        switch RegularFile.text(file, limit: RegularFile.configurationLimit) {
        case .success(let contents): text = contents
        case .failure(let refusal): throw ConfigurationError(file: file, line: nil, key: "", problem: refusal.reason)
        }
        var configuration = try parse(text, file: file)
        configuration.sourceFile = file
        return configuration
    }

    public static func parse(_ text: String, file: String = defaultFileName) throws -> Configuration {
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw ConfigurationError(file: file, line: yamlErrorLine(error), key: "", problem: yamlProblem(error))
        } catch {
            throw ConfigurationError(file: file, line: nil, key: "", problem: "invalid YAML")
        }
        var configuration = Configuration()
        guard let root else { return configuration }
        let reader = NodeReader(file: file)
        try reader.mapping(root, path: "") { key, value, path in
            switch key {
            case "rules": configuration.rules = try readRules(value, path: path, reader: reader)
            case "thresholds": try readThresholds(value, path: path, reader: reader, into: &configuration.thresholds)
            case "gate": try readGate(value, path: path, reader: reader, into: &configuration.gate)
            case "paths": try readPaths(value, path: path, reader: reader, into: &configuration.paths)
            case "migrations": try readMigrations(value, path: path, reader: reader, into: &configuration.migrations)
            case "adapters":
                try reader.mapping(value, path: path) { key, item, keyPath in
                    switch key {
                    case "ports": configuration.adapters.ports = try reader.stringList(item, keyPath)
                    case "adapters": configuration.adapters.adapters = try reader.stringList(item, keyPath)
                    case "tests": configuration.adapters.tests = try reader.stringList(item, keyPath)
                    case "replace": configuration.adapters.replace = try reader.bool(item, keyPath)
                    default: throw reader.unknown(keyPath, item, known: ["ports", "adapters", "tests", "replace"])
                    }
                }
            case "postgres": try readPostgres(value, path: path, reader: reader, into: &configuration.postgres)
            case "redis": try readRedis(value, path: path, reader: reader, into: &configuration.redis)
            case "vector": try readVector(value, path: path, reader: reader, into: &configuration.vector)
            case "schemas": try readSchemas(value, path: path, reader: reader, into: &configuration.schemas)
            case "probes": configuration.probes = try readProbes(value, path: path, reader: reader)
            case "index_advice": try readIndexAdvice(value, path: path, reader: reader, into: &configuration.indexAdvice)
            case "report": try readReport(value, path: path, reader: reader, into: &configuration.report)
            case "rule_packs": configuration.rulePacks = try reader.stringList(value, path)
            case "agent": try readAgent(value, path: path, reader: reader, into: &configuration.agent)
            default:
                throw reader.unknown(path, value, known: ["rules", "thresholds", "gate", "paths", "migrations", "adapters", "postgres", "redis",
                                                          "vector", "schemas", "probes", "index_advice", "report", "rule_packs", "agent"])
            }
        }
        return configuration
    }

    private static func readRules(_ node: Node, path: String, reader: NodeReader) throws -> [String: RuleSetting] {
        var rules: [String: RuleSetting] = [:]
        try reader.mapping(node, path: path) { id, value, rulePath in
            var setting = RuleSetting()
            setting.line = value.mark?.line
            if case .scalar = value {
                let text = value.string ?? ""
                if let enabled = value.bool {
                    setting.enabled = enabled
                } else if text.lowercased() == "off" {
                    setting.enabled = false
                } else if let severity = Severity(caseInsensitive: text) {
                    setting.severity = severity
                } else {
                    throw reader.invalid(rulePath, value, "expected true, false, off, a severity or a mapping with enabled/severity")
                }
            } else {
                try reader.mapping(value, path: rulePath) { key, item, itemPath in
                    switch key {
                    case "enabled": setting.enabled = try reader.bool(item, itemPath)
                    case "severity": setting.severity = try reader.severity(item, itemPath)
                    default: throw reader.unknown(itemPath, item, known: ["enabled", "severity"])
                    }
                }
            }
            rules[id] = setting
        }
        return rules
    }

    private static func readThresholds(_ node: Node, path: String, reader: NodeReader, into t: inout Thresholds) throws {
        try reader.mapping(node, path: path) { key, value, keyPath in
            switch key {
            case "postgres_ping_ms": t.postgresPingMillis = try reader.number(value, keyPath, positive: true)
            case "redis_ping_ms": t.redisPingMillis = try reader.number(value, keyPath, positive: true)
            case "connection_usage_percent":
                t.connectionUsagePercent = try reader.percent(value, keyPath)
            case "postgres_min_version": t.minimumPostgresMajor = try reader.int(value, keyPath)
            case "redis_min_version": t.minimumRedisMajor = try reader.int(value, keyPath)
            case "unused_index_min_mb": t.unusedIndexMinBytes = Int64(try reader.number(value, keyPath) * 1024 * 1024)
            case "seq_scan_min_rows": t.seqScanMinRows = try reader.number(value, keyPath)
            case "seq_scan_min_index_percent": t.seqScanMinIndexPercent = try reader.percent(value, keyPath)
            case "sequence_usage_percent": t.sequenceUsagePercent = try reader.percent(value, keyPath)
            case "transaction_id_age": t.transactionIDAge = Int64(try reader.int(value, keyPath, positive: true))
            case "dead_tuple_percent": t.deadTuplePercent = try reader.percent(value, keyPath)
            case "dead_tuple_min_rows": t.deadTupleMinRows = Int64(try reader.int(value, keyPath))
            case "bloat_percent": t.bloatPercent = try reader.percent(value, keyPath)
            case "bloat_min_mb": t.bloatMinBytes = Int64(try reader.number(value, keyPath) * 1024 * 1024)
            case "idle_in_transaction_s": t.idleInTransactionSeconds = try reader.number(value, keyPath, positive: true)
            case "long_running_query_s": t.longRunningQuerySeconds = try reader.number(value, keyPath, positive: true)
            case "slow_query_mean_ms": t.slowQueryMeanMillis = try reader.number(value, keyPath, positive: true)
            case "slow_query_min_calls": t.slowQueryMinCalls = Int64(try reader.int(value, keyPath))
            case "partition_horizon_days": t.partitionHorizonDays = try reader.int(value, keyPath, positive: true, maximum: 3650)
            case "redis_memory_percent": t.redisMemoryPercent = try reader.percent(value, keyPath)
            case "redis_fragmentation_ratio": t.redisFragmentationRatio = try reader.number(value, keyPath, positive: true)
            case "redis_hit_ratio_percent": t.redisHitRatioPercent = try reader.percent(value, keyPath)
            case "redis_slowlog_ms": t.redisSlowlogMillis = try reader.number(value, keyPath, positive: true)
            case "redis_clients_percent": t.redisClientsPercent = try reader.percent(value, keyPath)
            case "redis_cached_scripts": t.redisCachedScripts = try reader.int(value, keyPath, positive: true)
            case "redis_big_string_kb": t.redisBigStringBytes = Int64(try reader.number(value, keyPath, positive: true) * 1024)
            case "redis_big_hash_fields": t.redisBigHashFields = Int64(try reader.int(value, keyPath, positive: true))
            case "redis_big_collection_members": t.redisBigCollectionMembers = Int64(try reader.int(value, keyPath, positive: true))
            case "redis_big_stream_entries": t.redisBigStreamEntries = Int64(try reader.int(value, keyPath, positive: true))
            default:
                throw reader.unknown(keyPath, value, known: thresholdKeys)
            }
        }
    }

    static let thresholdKeys = [
        "postgres_ping_ms", "redis_ping_ms", "connection_usage_percent", "postgres_min_version", "redis_min_version",
        "unused_index_min_mb", "seq_scan_min_rows", "seq_scan_min_index_percent", "sequence_usage_percent",
        "transaction_id_age", "dead_tuple_percent", "dead_tuple_min_rows", "bloat_percent", "bloat_min_mb",
        "idle_in_transaction_s", "long_running_query_s", "slow_query_mean_ms", "slow_query_min_calls",
        "partition_horizon_days", "redis_memory_percent", "redis_fragmentation_ratio", "redis_hit_ratio_percent",
        "redis_slowlog_ms", "redis_clients_percent", "redis_cached_scripts", "redis_big_string_kb", "redis_big_hash_fields",
        "redis_big_collection_members", "redis_big_stream_entries",
    ]

    private static func readGate(_ node: Node, path: String, reader: NodeReader, into gate: inout GatePolicy) throws {
        try reader.mapping(node, path: path) { key, value, keyPath in
            switch key {
            case "fail_on":
                let items = try reader.stringList(value, keyPath)
                var severities = Set<Severity>()
                for item in items {
                    guard let severity = Severity(caseInsensitive: item) else {
                        throw reader.invalid(keyPath, value, "'\(item)' is not a severity (CRITICAL, HIGH, MEDIUM, LOW, INFO)")
                    }
                    severities.insert(severity)
                }
                gate.failOn = severities
            case "fail_on_unhealthy": gate.failOnUnhealthy = try reader.bool(value, keyPath)
            case "fail_on_degraded": gate.failOnDegraded = try reader.bool(value, keyPath)
            case "history":
                let word = try reader.string(value, keyPath)
                guard let policy = HistoryPolicy(rawValue: word.lowercased()) else {
                    throw reader.invalid(keyPath, value, "'\(word)' is not report, fail or hide")
                }
                gate.history = policy
            case "baseline": gate.baseline = try reader.string(value, keyPath)
            default: throw reader.unknown(keyPath, value, known: ["fail_on", "fail_on_unhealthy", "fail_on_degraded",
                                                                   "history", "baseline"])
            }
        }
    }

    private static func readPaths(_ node: Node, path: String, reader: NodeReader, into paths: inout Paths) throws {
        try reader.mapping(node, path: path) { key, value, keyPath in
            switch key {
            case "migrations": paths.migrations = try reader.stringList(value, keyPath)
            case "source": paths.source = try reader.string(value, keyPath)
            default: throw reader.unknown(keyPath, value, known: ["migrations", "source"])
            }
        }
    }

    private static func readMigrations(_ node: Node, path: String, reader: NodeReader,
                                       into settings: inout MigrationSettings) throws {
        try reader.mapping(node, path: path) { key, value, keyPath in
            switch key {
            case "supabase_cli":
                let text = try reader.string(value, keyPath)
                guard let version = SupabaseCLIVersion(parsing: text) else {
                    throw reader.invalid(keyPath, value, "'\(text)' is not a Supabase CLI version (latest, 2.109 or 2.109.0)")
                }
                settings.supabaseCLI = version
            case "runner":
                if case .mapping = value {
                    try reader.mapping(value, path: keyPath) { folder, item, itemPath in
                        settings.runners[folder] = try runner(item, itemPath, reader: reader)
                    }
                } else {
                    settings.runner = try runner(value, keyPath, reader: reader)
                }
            default: throw reader.unknown(keyPath, value, known: ["supabase_cli", "runner"])
            }
        }
    }

    private static func runner(_ node: Node, _ path: String, reader: NodeReader) throws -> MigrationKind {
        let word = try reader.string(node, path)
        guard let kind = MigrationKind(rawValue: word.lowercased()) else {
            throw reader.invalid(path, node, "'\(word)' is not a migration runner (dbmate, supabase or psql)")
        }
        return kind
    }

    private static func readPostgres(_ node: Node, path: String, reader: NodeReader, into pg: inout PostgresSettings) throws {
        try reader.mapping(node, path: path) { key, value, keyPath in
            switch key {
            case "url": pg.url = try reader.string(value, keyPath)
            case "url_env": pg.urlEnv = try environmentName(value, keyPath, reader: reader)
            case "connect_timeout_s": pg.connectTimeoutSeconds = try reader.int(value, keyPath, positive: true, maximum: 300)
            case "statement_timeout_ms":
                pg.statementTimeoutMillis = try reader.int(value, keyPath, positive: true, maximum: 600_000)
            case "lock_timeout_ms": pg.lockTimeoutMillis = try reader.int(value, keyPath, positive: true, maximum: 60_000)
            case "ping_samples": pg.pingSamples = try reader.int(value, keyPath, positive: true, maximum: Limits.pingSamples)
            case "probe_budget_s": pg.probeBudgetSeconds = try reader.int(value, keyPath, positive: true, maximum: 600)
            default:
                throw reader.unknown(keyPath, value, known: ["url", "url_env", "connect_timeout_s", "statement_timeout_ms",
                                                             "lock_timeout_ms", "ping_samples", "probe_budget_s"])
            }
        }
    }

    private static func readRedis(_ node: Node, path: String, reader: NodeReader, into redis: inout RedisSettings) throws {
        try reader.mapping(node, path: path) { key, value, keyPath in
            switch key {
            case "url": redis.url = try reader.string(value, keyPath)
            case "url_env": redis.urlEnv = try environmentName(value, keyPath, reader: reader)
            case "connect_timeout_ms":
                redis.connectTimeoutMillis = try reader.int(value, keyPath, positive: true, maximum: 60_000)
            case "command_timeout_ms":
                redis.commandTimeoutMillis = try reader.int(value, keyPath, positive: true, maximum: 60_000)
            case "ping_samples": redis.pingSamples = try reader.int(value, keyPath, positive: true, maximum: Limits.pingSamples)
            case "roles": try readRedisRoles(value, path: keyPath, reader: reader, into: &redis.roles)
            case "sample": try readRedisSample(value, path: keyPath, reader: reader, into: &redis.sample)
            default:
                throw reader.unknown(keyPath, value, known: ["url", "url_env", "connect_timeout_ms", "command_timeout_ms", "ping_samples",
                                                             "roles", "sample"])
            }
        }
    }

    /// `redis.roles.<role>`: each key given replaces that part of the role's default.
    private static func readRedisRoles(_ node: Node, path: String, reader: NodeReader,
                                       into roles: inout [RedisRole: RedisRoleSettings]) throws {
        try reader.mapping(node, path: path) { name, value, rolePath in
            guard let role = RedisRole(rawValue: name) else {
                throw reader.unknown(rolePath, value, known: RedisRole.allCases.map(\.rawValue))
            }
            var settings = roles[role] ?? RedisRoleSettings(patterns: [], ttlRequired: false)
            try reader.mapping(value, path: rolePath) { key, field, keyPath in
                switch key {
                case "patterns":
                    let patterns = try reader.stringList(field, keyPath)
                    guard patterns.allSatisfy({ !$0.isEmpty && $0.count <= 200 }) else {
                        throw reader.invalid(keyPath, field, "a pattern must be 1 to 200 characters")
                    }
                    settings.patterns = patterns
                case "ttl_required": settings.ttlRequired = try reader.bool(field, keyPath)
                case "max_ttl_s":
                    if case .scalar = field, ["null", "~", ""].contains(field.string ?? "-") {
                        settings.maxTTLSeconds = nil
                    } else {
                        settings.maxTTLSeconds = try reader.int(field, keyPath, positive: true)
                    }
                case "url": settings.url = try reader.string(field, keyPath)
                case "url_env": settings.urlEnv = try environmentName(field, keyPath, reader: reader)
                default: throw reader.unknown(keyPath, field, known: ["patterns", "ttl_required", "max_ttl_s", "url", "url_env"])
                }
            }
            roles[role] = settings
        }
    }

    private static func readRedisSample(_ node: Node, path: String, reader: NodeReader, into sample: inout RedisSampleSettings) throws {
        try reader.mapping(node, path: path) { key, value, keyPath in
            switch key {
            case "max_keys":
                sample.maxKeys = try reader.int(value, keyPath, maximum: 10_000_000)
                guard sample.maxKeys >= 0 else { throw reader.invalid(keyPath, value, "must be 0 (no sampling) or more") }
            case "budget_ms": sample.budgetMillis = try reader.int(value, keyPath, positive: true, maximum: 600_000)
            case "scan_count": sample.scanCount = try reader.int(value, keyPath, positive: true, maximum: 10_000)
            default: throw reader.unknown(keyPath, value, known: ["max_keys", "budget_ms", "scan_count"])
            }
        }
    }

    /// `url_env`: the name of an environment variable (letters, digits, _), never its value.
    private static func environmentName(_ value: Node, _ keyPath: String, reader: NodeReader) throws -> String {
        let name = try reader.string(value, keyPath)
        guard let first = name.first, first.isLetter || first == "_", name.count <= 128,
              name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }) else {
            throw reader.invalid(keyPath, value, "not an environment variable name (letters, digits and _)")
        }
        return name
    }

    private static func readAgent(_ node: Node, path: String, reader: NodeReader, into agent: inout AgentSettings) throws {
        try reader.mapping(node, path: path) { key, value, keyPath in
            switch key {
            case "keywords":
                let keywords = try reader.stringList(value, keyPath).map { $0.trimmingCharacters(in: .whitespaces) }
                guard !keywords.isEmpty, keywords.allSatisfy({ !$0.isEmpty && $0.count <= 64 }), keywords.count <= 200 else {
                    throw reader.invalid(keyPath, value, "a list of 1 to 200 words or phrases of at most 64 characters")
                }
                agent.keywords = keywords
            case "budget_s":
                let seconds = try reader.int(value, keyPath, positive: true, maximum: 25)
                agent.budgetSeconds = Double(seconds)
            default: throw reader.unknown(keyPath, value, known: ["keywords", "budget_s"])
            }
        }
    }

    private static func readVector(_ node: Node, path: String, reader: NodeReader, into vector: inout VectorSettings) throws {
        try reader.mapping(node, path: path) { key, value, keyPath in
            switch key {
            case "dimensions": vector.dimensions = try reader.int(value, keyPath, positive: true)
            case "distance":
                let text = try reader.string(value, keyPath)
                guard let distance = VectorSettings.Distance(rawValue: text) else {
                    let known = VectorSettings.Distance.allCases.map(\.rawValue).joined(separator: ", ")
                    throw reader.invalid(keyPath, value, "'\(text)' is not a distance (\(known))")
                }
                vector.distance = distance
            case "columns":
                let columns = try reader.stringList(value, keyPath)
                for column in columns where ![2, 3].contains(column.split(separator: ".", omittingEmptySubsequences: false).count)
                    || column.split(separator: ".", omittingEmptySubsequences: false).contains(where: \.isEmpty) {
                    throw reader.invalid(keyPath, value, "'\(column)' is not table.column or schema.table.column")
                }
                vector.columns = columns
            default: throw reader.unknown(keyPath, value, known: ["dimensions", "distance", "columns"])
            }
        }
    }

    private static func readSchemas(_ node: Node, path: String, reader: NodeReader, into schemas: inout SchemaSettings) throws {
        try reader.mapping(node, path: path) { key, value, keyPath in
            switch key {
            case "exclude":
                let names = try reader.stringList(value, keyPath)
                if let empty = names.first(where: { $0.trimmingCharacters(in: .whitespaces).isEmpty }) {
                    throw reader.invalid(keyPath, value, "'\(empty)' is not a schema name or pattern")
                }
                schemas.exclude = names
            default: throw reader.unknown(keyPath, value, known: ["exclude"])
            }
        }
    }

    private static func readProbes(_ node: Node, path: String, reader: NodeReader) throws -> [ProbeDefinition] {
        guard case .sequence = node else { throw reader.invalid(path, node, "expected a list of probes") }
        guard node.array().count <= Limits.probes else {
            throw reader.invalid(path, node, "at most \(Limits.probes) probes (found \(node.array().count))")
        }
        var probes: [ProbeDefinition] = []
        for (index, item) in node.array().enumerated() {
            let itemPath = "\(path)[\(index)]"
            var name: String?
            var sql: String?
            var probe = ProbeDefinition(name: "", sql: "", line: item.mark?.line)
            try reader.mapping(item, path: itemPath) { key, value, keyPath in
                switch key {
                case "name": name = try reader.string(value, keyPath)
                case "sql": sql = try reader.string(value, keyPath)
                case "params": probe.parameters = try reader.stringList(value, keyPath)
                case "params_query": probe.parametersQuery = try reader.string(value, keyPath)
                case "runs": probe.runs = try reader.int(value, keyPath, positive: true, maximum: Limits.probeRuns)
                case "budget_ms": probe.budgetMillis = try reader.number(value, keyPath, positive: true)
                default:
                    throw reader.unknown(keyPath, value, known: ["name", "sql", "params", "params_query", "runs", "budget_ms"])
                }
            }
            guard let name, !name.isEmpty else { throw reader.invalid(itemPath, item, "a probe needs a name") }
            guard let sql, !sql.isEmpty else { throw reader.invalid(itemPath, item, "probe '\(name)' needs sql") }
            if probes.contains(where: { $0.name == name }) {
                throw reader.invalid(itemPath, item, "probe name '\(name)' is used twice")
            }
            probe.name = name
            probe.sql = sql
            probes.append(probe)
        }
        return probes
    }

    private static func readIndexAdvice(_ node: Node, path: String, reader: NodeReader,
                                        into advice: inout IndexAdviceSettings) throws {
        try reader.mapping(node, path: path) { key, value, keyPath in
            switch key {
            case "enabled": advice.enabled = try reader.bool(value, keyPath)
            case "min_cost_reduction_percent": advice.minimumCostReductionPercent = try reader.percent(value, keyPath)
            default: throw reader.unknown(keyPath, value, known: ["enabled", "min_cost_reduction_percent"])
            }
        }
    }

    private static func readReport(_ node: Node, path: String, reader: NodeReader, into report: inout ReportSettings) throws {
        try reader.mapping(node, path: path) { key, value, keyPath in
            switch key {
            case "max_rows_per_rule":
                let rows = try reader.int(value, keyPath)
                if rows < 0 { throw reader.invalid(keyPath, value, "must be 0 (no limit) or more") }
                report.maxRowsPerRule = rows
            default: throw reader.unknown(keyPath, value, known: ["max_rows_per_rule"])
            }
        }
    }

    /// The parser's words and position only: Yams' own description quotes the offending lines of
    /// the file, which could be anything (an environment, a key).
    static func yamlProblem(_ error: YamlError) -> String {
        switch error {
        case let .scanner(context, problem, mark, _), let .parser(context, problem, mark, _):
            let during = context.map { " (\($0.text))" } ?? ""
            return "invalid YAML: \(problem)\(during) at line \(mark.line), column \(mark.column)"
        case .composer(_, let problem, let mark, _):
            return "invalid YAML: \(problem) at line \(mark.line), column \(mark.column)"
        case .reader(let problem, let offset, _, _):
            return "invalid YAML: \(problem) at byte \(offset.map(String.init) ?? "?")"
        default:
            return "invalid YAML (the file is not a YAML document)"
        }
    }

    private static func yamlErrorLine(_ error: YamlError) -> Int? {
        switch error {
        case let .scanner(_, _, mark, _), let .parser(_, _, mark, _): return mark.line
        default: return nil
        }
    }
}
