import Foundation
import Testing
@testable import InfraGuardian

/// The Redis rules' judgement beyond their examples: severities by role, loopback-only access, and
/// instances of their own roles named in locations and rows.
@Suite struct RedisRuleTests {
    let context = RuleContext(configuration: Configuration(), now: Date(timeIntervalSince1970: 0))

    func input(_ snapshot: RedisSnapshot, others: [(String, RedisSnapshot)] = []) -> AuditInput {
        var input = AuditInput(redis: Collected(target: "redis://cache:6379/0", value: snapshot))
        input.additionalRedis = others.map { Collected(target: $0.0, value: $0.1) }
        return input
    }

    @Test func openAccessIsLowOnLoopbackOnly() {
        var open = RedisExamples.snapshot(config: ["bind": "127.0.0.1 -::1"])
        open.access = RedisAccessState(defaultUserEnabled: true, defaultUserNoPassword: true)
        let local = RedisOpenAccess().check(input(open), context)
        #expect(local.map(\.severity) == [.low])
        #expect(local.first?.message.contains("loopback only (bind 127.0.0.1 -::1)") == true)
        open.config["bind"] = "0.0.0.0"
        #expect(RedisOpenAccess().check(input(open), context).map(\.severity) == [.high])
        open.config["bind"] = nil   // CONFIG refused: the bind is unknown
        #expect(RedisOpenAccess().check(input(open), context).map(\.severity) == [.high])
    }

    @Test func severitiesFollowTheRoles() {
        let keys = RedisExamples.snapshot(roles: [RedisExamples.role(.locks, keys: 5, withoutTTL: 5, patterns: ["lock:*"]),
                                                  RedisExamples.role(.sessions, keys: 9, withoutTTL: 3, patterns: ["sess:*"]),
                                                  RedisExamples.role(.cache, keys: 9, withoutTTL: 9, patterns: ["cache:*"])])
        let findings = RedisKeyWithoutTTL().check(input(keys), context)
        #expect(findings.map(\.severity) == [.high, .medium])                 // locks, sessions; never the cache
        #expect(findings.map(\.location.object) == ["redis lock:*", "redis sess:*"])
        #expect(findings.first?.message.hasPrefix("5 of 5 sampled lock keys (lock:*) on Redis have no TTL") == true)

        var sessionsOnly = RedisExamples.snapshot(info: ["persistence": ["aof_enabled": "0"]], config: ["save": "", "appendonly": "no"],
                                                  roles: [RedisExamples.role(.sessions, keys: 9)])
        #expect(RedisPersistenceOff().check(input(sessionsOnly), context).map(\.severity) == [.medium])
        sessionsOnly.sample?.roles.append(RedisExamples.role(.idempotency, keys: 2))
        #expect(RedisPersistenceOff().check(input(sessionsOnly), context).map(\.severity) == [.high])
        sessionsOnly.config = [:]   // CONFIG refused and AOF off: persistence unknown, no finding
        #expect(RedisPersistenceOff().check(input(sessionsOnly), context).isEmpty)
    }

    @Test func roleInstancesAreNamedAndJudgedOnTheirOwn() {
        let cache = RedisExamples.snapshot(policy: "allkeys-lru", roles: [RedisExamples.role(.cache, keys: 100)])
        var sessions = RedisExamples.snapshot(policy: "allkeys-lru")
        sessions.assignedRoles = [.sessions]     // configured there, no key seen yet
        let both = input(cache, others: [("redis://sessions:6379/0", sessions)])
        let findings = RedisEvictionPolicyMismatch().check(both, context)
        #expect(findings.map(\.location.object) == ["redis redis://sessions:6379/0"])
        #expect(findings.first?.message.contains("session keys (configured here)") == true)
        let rows = HealthEvaluator.components(both, Configuration()).map(\.component)
        #expect(rows.contains("Redis") && rows.contains("Redis (sessions)"))
    }

    @Test func theRedisRowSaysWhatWasSampled() {
        var sample = RedisKeySample(sampledKeys: 10_000, totalKeys: 83_000, stoppedBy: "the key budget (10000 keys)")
        sample.roles = [RedisExamples.role(.sessions, keys: 7_000), RedisExamples.role(.locks, keys: 12)]
        sample.unmatchedKeys = 2_988
        let text = HealthEvaluator.sampleSummary(sample)
        #expect(text == "roles: sessions 7,000, locks 12, no role 2,988; 10,000 of 83,000 keys sampled (12 %, findings are estimates), stopped by the key budget (10000 keys)")
    }
}

/// `redis.roles` and `redis.sample`: each key given replaces that part of a role's default.
@Suite struct RedisConfigurationTests {
    @Test func rolesAndSampleLoad() throws {
        let configuration = try ConfigurationLoader.parse("""
            redis:
              roles:
                sessions: {patterns: ["app:sess:*"], max_ttl_s: 3600}
                locks: {url_env: LOCKS_REDIS_URL}
                cache: {max_ttl_s: null}
              sample: {max_keys: 500, budget_ms: 300, scan_count: 100}
            thresholds:
              redis_big_string_kb: 512
            """)
        let roles = configuration.redis.roles
        #expect(roles[.sessions] == RedisRoleSettings(patterns: ["app:sess:*"], ttlRequired: true, maxTTLSeconds: 3600))
        #expect(roles[.locks]?.patterns == RedisRoleSettings.defaults[.locks]?.patterns && roles[.locks]?.urlEnv == "LOCKS_REDIS_URL")
        #expect(roles[.cache]?.maxTTLSeconds == nil)
        #expect(configuration.redis.sample.maxKeys == 500 && configuration.redis.sample.budgetMillis == 300)
        #expect(configuration.thresholds.redisBigStringBytes == 512 * 1024)
        let instances = configuration.redis.instancesByURL(environment: ["LOCKS_REDIS_URL": "redis://locks:6379/0"], main: "redis://main:6379/0")
        #expect(instances.map(\.url) == ["redis://locks:6379/0"] && instances.first?.roles == [.locks])
        #expect(configuration.redis.instancesByURL(environment: [:], main: nil).isEmpty, "an unset variable names no instance")
    }

    @Test(arguments: ["redis:\n  roles:\n    queue: {patterns: [\"q:*\"]}\n",
                      "redis:\n  roles:\n    locks: {patterns: [\"\"]}\n",
                      "redis:\n  roles:\n    locks: {ttl: 5}\n",
                      "redis:\n  sample: {max_keys: -1}\n",
                      "redis:\n  sample: {budget_ms: 0}\n"])
    func badRedisSettingsAreErrors(_ text: String) {
        #expect(throws: ConfigurationError.self) { try ConfigurationLoader.parse(text) }
    }
}
