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

    public var description: String {
        let place = line.map { "\(file):\($0)" } ?? file
        return "\(place): \(key.isEmpty ? "" : "'\(key)': ")\(problem)"
    }
}

/// Reads `.infra-guardian.yml`. Unknown keys and wrong types are errors naming the key and line,
/// so a typo never silently turns a rule back on.
public enum ConfigurationLoader {
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
        guard let data = FileManager.default.contents(atPath: file) else {
            throw ConfigurationError(file: file, line: nil, key: "", problem: "cannot read the file")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ConfigurationError(file: file, line: nil, key: "", problem: "the file is not UTF-8")
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
            throw ConfigurationError(file: file, line: yamlErrorLine(error), key: "", problem: "invalid YAML: \(error)")
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
            case "postgres": try readPostgres(value, path: path, reader: reader, into: &configuration.postgres)
            case "redis": try readRedis(value, path: path, reader: reader, into: &configuration.redis)
            default: throw reader.unknown(path, value, known: ["rules", "thresholds", "gate", "paths", "postgres", "redis"])
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
                t.connectionUsagePercent = try reader.number(value, keyPath, positive: true)
                if t.connectionUsagePercent > 100 { throw reader.invalid(keyPath, value, "must be at most 100") }
            case "postgres_min_version": t.minimumPostgresMajor = try reader.int(value, keyPath)
            case "redis_min_version": t.minimumRedisMajor = try reader.int(value, keyPath)
            default:
                throw reader.unknown(keyPath, value, known: ["postgres_ping_ms", "redis_ping_ms", "connection_usage_percent",
                                                             "postgres_min_version", "redis_min_version"])
            }
        }
    }

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
            default: throw reader.unknown(keyPath, value, known: ["fail_on", "fail_on_unhealthy", "fail_on_degraded"])
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

    private static func readPostgres(_ node: Node, path: String, reader: NodeReader, into pg: inout PostgresSettings) throws {
        try reader.mapping(node, path: path) { key, value, keyPath in
            switch key {
            case "url": pg.url = try reader.string(value, keyPath)
            case "connect_timeout_s": pg.connectTimeoutSeconds = try reader.int(value, keyPath, positive: true)
            case "statement_timeout_ms": pg.statementTimeoutMillis = try reader.int(value, keyPath, positive: true)
            case "lock_timeout_ms": pg.lockTimeoutMillis = try reader.int(value, keyPath, positive: true)
            case "ping_samples": pg.pingSamples = try reader.int(value, keyPath, positive: true)
            default:
                throw reader.unknown(keyPath, value, known: ["url", "connect_timeout_s", "statement_timeout_ms",
                                                             "lock_timeout_ms", "ping_samples"])
            }
        }
    }

    private static func readRedis(_ node: Node, path: String, reader: NodeReader, into redis: inout RedisSettings) throws {
        try reader.mapping(node, path: path) { key, value, keyPath in
            switch key {
            case "url": redis.url = try reader.string(value, keyPath)
            case "connect_timeout_ms": redis.connectTimeoutMillis = try reader.int(value, keyPath, positive: true)
            case "command_timeout_ms": redis.commandTimeoutMillis = try reader.int(value, keyPath, positive: true)
            case "ping_samples": redis.pingSamples = try reader.int(value, keyPath, positive: true)
            default:
                throw reader.unknown(keyPath, value, known: ["url", "connect_timeout_ms", "command_timeout_ms", "ping_samples"])
            }
        }
    }

    private static func yamlErrorLine(_ error: YamlError) -> Int? {
        switch error {
        case let .scanner(_, _, mark, _), let .parser(_, _, mark, _): return mark.line
        default: return nil
        }
    }
}
