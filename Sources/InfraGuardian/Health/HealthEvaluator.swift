import Foundation

/// Turns the collected input into one health line per component (the report's Database Analysis
/// and `infra-guardian health`). Thresholds follow the seed: SELECT 1 < 100 ms, PING < 50 ms,
/// 0 pending migrations.
public enum HealthEvaluator {
    public static func components(_ input: AuditInput, _ configuration: Configuration) -> [ComponentHealth] {
        [postgres(input.postgres, configuration.thresholds),
         pgvector(input.postgres, configuration.vector),
         redis(input.redis, configuration.thresholds)]
        + (input.additionalRedis ?? []).map { redis($0, configuration.thresholds, name: "Redis (\(roleNames($0)))") }
        + [migrations(input)] + (input.verification.map { [verification($0)] } ?? [])
    }

    /// `audit --verify`: healthy when every file passed up, up again, down, the catalog comparison
    /// and up once more; degraded when a step failed (its finding gates); unhealthy when nothing ran.
    static func verification(_ verification: MigrationVerification) -> ComponentHealth {
        let name = "Migration verification"
        if let error = verification.error {
            return ComponentHealth(component: name, state: .unhealthy, details: "not verified: \(error)")
        }
        let files = verification.migrations
        let failed = files.filter { file in file.steps.contains { $0.outcome == .failed } }
        let incomplete = files.filter { $0.incomplete != nil }
        let seconds = files.flatMap(\.steps).map(\.milliseconds).reduce(0, +) / 1000
        var details = "\(files.count) file\(files.count == 1 ? "" : "s") on \(verification.server): "
        if failed.isEmpty && incomplete.isEmpty {
            details += "up, up again, down (catalog restored), up once more passed"
        } else {
            var parts: [String] = []
            if !failed.isEmpty {
                parts.append("\(failed.count) failed (" + failed.prefix(5).map { file in
                    let steps = file.steps.filter { $0.outcome == .failed }.map(\.name.label)
                    return "\((file.file as NSString).lastPathComponent): \(steps.joined(separator: ", "))"
                }.joined(separator: "; ") + (failed.count > 5 ? "; …" : "") + ")")
            }
            if let first = incomplete.first {
                parts.append("not finished from \((first.file as NSString).lastPathComponent) on: \(first.incomplete ?? "")")
            }
            details += parts.joined(separator: ", ")
        }
        details += String(format: " (steps: %.1f s)", seconds)
        let state: HealthState = failed.isEmpty && incomplete.isEmpty ? .healthy : .degraded
        return ComponentHealth(component: name, state: state, details: details)
    }

    /// healthy when every configured component is; unhealthy when any is; degraded otherwise.
    public static func overall(_ components: [ComponentHealth]) -> HealthState {
        let worst = components.map(\.state).reduce(HealthState.notConfigured) { $0.worse($1) }
        return worst == .notConfigured ? .healthy : worst
    }

    static func postgres(_ collected: Collected<PostgresSnapshot>, _ thresholds: Thresholds) -> ComponentHealth {
        let name = "PostgreSQL"
        guard collected.isConfigured else {
            return ComponentHealth(component: name, state: .notConfigured,
                                   details: "not configured (--database-url, DATABASE_URL or PG* variables)")
        }
        guard let pg = collected.value else {
            return ComponentHealth(component: name, state: .unhealthy, details: collected.error ?? "not collected")
        }
        var state = HealthState.healthy
        var problems: [String] = []
        let ping = Percentiles.median(pg.pingMillis)
        if let ping, ping >= thresholds.postgresPingMillis {
            state = state.worse(.degraded)
            problems.append("SELECT 1 slower than \(Format.millis(thresholds.postgresPingMillis))")
        }
        if pg.majorVersion < thresholds.minimumPostgresMajor {
            state = state.worse(.degraded)
            problems.append("older than \(thresholds.minimumPostgresMajor)")
        }
        var connections = "connections: \(pg.connections.total)/\(pg.maxConnections.map(String.init) ?? "?")"
        if let max = pg.maxConnections, max > 0,
           Double(pg.connections.total) * 100 / Double(max) > thresholds.connectionUsagePercent {
            state = state.worse(.degraded)
            connections += " (above \(Int(thresholds.connectionUsagePercent)) %)"
        }
        if let states = connectionStates(pg.connections) { connections += " (\(states))" }
        var details = "v\(pg.shortVersion), \(connections)"
        if let ping { details += ", SELECT 1: \(Format.millis(ping))" }
        if !problems.isEmpty { details += "; " + problems.joined(separator: "; ") }
        if let reason = pg.maintenance?.unavailable { details += "; maintenance facts unavailable: \(reason)" }
        // A part that was not read leaves the component unproven: unhealthy when the pings themselves
        // got no answer (the server stopped answering), degraded otherwise (a lock, a slow part).
        for missing in pg.missingParts ?? [] where missing.reason != pg.maintenance?.unavailable {
            state = state.worse(missing.part == PostgresCollector.pingsPart ? .unhealthy : .degraded)
            details += "; not checked: \(SecretMasking.quotable(missing.summary, limit: 300))"
        }
        return ComponentHealth(component: name, state: state, details: details)
    }

    /// "active 2, idle 9, idle in transaction 1": the usual states first, then any other.
    static func connectionStates(_ stats: ConnectionStats) -> String? {
        let usual = ["active", "idle", "idle in transaction", "idle in transaction (aborted)"]
        let states = stats.byState.filter { $0.value > 0 }
        guard !states.isEmpty else { return nil }
        let ordered = usual.filter { states[$0] != nil } + states.keys.filter { !usual.contains($0) }.sorted()
        return ordered.compactMap { state in states[state].map { "\(state) \($0)" } }.joined(separator: ", ")
    }

    /// "sessions, locks" for an instance holding configured roles.
    private static func roleNames(_ collected: Collected<RedisSnapshot>) -> String {
        let roles = collected.value?.assignedRoles ?? []
        return roles.isEmpty ? (collected.target ?? "?") : roles.map { $0.rawValue.replacingOccurrences(of: "_", with: " ") }.joined(separator: ", ")
    }

    static func redis(_ collected: Collected<RedisSnapshot>, _ thresholds: Thresholds, name: String = "Redis") -> ComponentHealth {
        guard collected.isConfigured else {
            return ComponentHealth(component: name, state: .notConfigured, details: "not configured (--redis-url or REDIS_URL)")
        }
        guard let redis = collected.value else {
            return ComponentHealth(component: name, state: .unhealthy, details: collected.error ?? "not collected")
        }
        var state = HealthState.healthy
        var details = "v\(redis.shortVersion)"
        if let used = redis.usedMemoryBytes {
            details += ", memory: \(Format.bytes(used))"
            if let max = redis.maxmemoryBytes, max > 0 { details += "/\(Format.bytes(max))" }
        }
        if let policy = redis.maxmemoryPolicy { details += ", policy: \(policy)" }
        if let clients = redis.connectedClients { details += ", clients: \(clients)" }
        let ping = Percentiles.median(redis.pingMillis)
        if let ping { details += ", PING: \(Format.millis(ping))" }
        if let ping, ping >= thresholds.redisPingMillis {
            state = state.worse(.degraded)
            details += "; PING slower than \(Format.millis(thresholds.redisPingMillis))"
        }
        if let major = redis.majorVersion, major < thresholds.minimumRedisMajor {
            state = state.worse(.degraded)
            details += "; older than \(thresholds.minimumRedisMajor)"
        }
        if let sample = redis.sample { details += "; " + sampleSummary(sample) }
        if let skipped = redis.skipped, !skipped.isEmpty {
            details += "; skipped: " + skipped.map { $0.components(separatedBy: ": skipped").first ?? $0 }.joined(separator: ", ")
        }
        return ComponentHealth(component: name, state: state, details: details)
    }

    /// "roles: sessions 300, locks 50, cache 200; 632 keys sampled (100 % of the keyspace, estimates)".
    static func sampleSummary(_ sample: RedisKeySample) -> String {
        let roles = sample.roles.filter { $0.keys > 0 }.map { "\($0.role.rawValue.replacingOccurrences(of: "_", with: " ")) \(Format.grouped(Int64($0.keys)))" }
        var text = roles.isEmpty ? "roles: none seen" : "roles: " + roles.joined(separator: ", ")
        if sample.unmatchedKeys > 0 { text += ", no role \(Format.grouped(Int64(sample.unmatchedKeys)))" }
        let percent = sample.sampledShare >= 1 ? "100" : String(max(1, Int((sample.sampledShare * 100).rounded())))
        text += "; \(Format.grouped(Int64(sample.sampledKeys))) of \(Format.grouped(Int64(sample.totalKeys))) keys sampled (\(percent) %"
        text += sample.sampledShare >= 1 ? ")" : ", findings are estimates)"
        if let stopped = sample.stoppedBy { text += ", stopped by \(stopped)" }
        return text
    }

    static func migrations(_ input: AuditInput) -> ComponentHealth {
        let name = "Migrations"
        let set = input.migrations
        let broken = set.folders.compactMap(\.error) + set.files.compactMap { file in
            file.readError.map { "\(file.fileName): \($0)" }
        }
        if !broken.isEmpty {
            return ComponentHealth(component: name, state: .unhealthy, details: broken.joined(separator: "; "))
        }
        let folders = set.folders.filter(\.exists).map(\.path)
        guard !folders.isEmpty else {
            return ComponentHealth(component: name, state: .notConfigured,
                                   details: "no migration folder (looked for \(Paths.defaultMigrationFolders.joined(separator: ", ")))")
        }
        let history = input.postgres.value?.migrationHistory
        let entries = MigrationStatusResolver.resolve(set, history: history)
        let where_ = folders.joined(separator: ", ")
        guard history != nil else {
            return ComponentHealth(component: name, state: .healthy,
                                   details: "\(set.files.count) files in \(where_); not compared with a database")
        }
        let applied = entries.filter { $0.state == .applied }.count
        let pending = entries.filter { $0.state == .pending }.count
        let missing = entries.filter { $0.state == .appliedMissingFile }.count
        var details = "\(set.files.count) files in \(where_): \(applied) applied, \(pending) pending"
        if missing > 0 { details += ", \(missing) applied without a file" }
        let state: HealthState = (pending > 0 || missing > 0) ? .degraded : .healthy
        return ComponentHealth(component: name, state: state, details: details)
    }
}
