import Foundation

/// A Redis write with no expiry in session, lock, token or rate-limit code.
struct RedisSetWithoutTTL: Rule {
    static let description = RuleDescription(
        id: "redis-set-without-ttl", category: .adapter, severity: .medium,
        summary: "A session, lock, token or rate-limit key is written to Redis without an expiry.",
        finds: "`set(key, value)` with no `EX`/`PX`/`EXAT`/`PXAT`/`KEEPTTL` or options object, in a Redis adapter whose class or file is about sessions, locks, tokens or rate limits",
        why: """
        Those keys are meant to die: a session without TTL outlives its revocation, a lock without one \
        is held forever when its holder crashes, a rate-limit counter never resets. Redis memory grows \
        until maxmemory evicts keys that should have stayed.
        """,
        fix: "Give every such write its lifetime: `redis.set(key, value, 'EX', ttlSeconds)` (or `{ EX: ttlSeconds }` with node-redis).",
        bad: [.source([("src/cache/redis-session-store.ts", """
            import type { Redis } from 'ioredis';
            export class RedisSessionStore {
              constructor(private readonly redis: Redis) {}
              async put(id: string, session: string): Promise<void> {
                await this.redis.set('mc:session:' + id, session);
              }
            }
            """)], at: .line(5))],
        good: [.source([("src/cache/redis-session-store.ts", """
            import type { Redis } from 'ioredis';
            export class RedisSessionStore {
              constructor(private readonly redis: Redis, private readonly ttlSeconds: number) {}
              async put(id: string, session: string): Promise<void> {
                await this.redis.set('mc:session:' + id, session, 'EX', this.ttlSeconds);
              }
            }
            """)]),
               // The lifetime given right after, in the same method.
               .source([("src/cache/redis-lock.ts", """
            import type { Redis } from 'ioredis';
            export class RedisLock {
              constructor(private readonly redis: Redis) {}
              async acquire(key: string): Promise<void> {
                await this.redis.set('lock:' + key, '1');
                await this.redis.expire('lock:' + key, 30);
              }
            }
            """)])])

    func check(_ input: AuditInput, _ context: RuleContext) -> [Finding] {
        input.sourceFacts(.redisSetWithoutExpiry).map { graph, fact in
            finding("\(fact.symbol) writes with \(fact.detail) and no expiry: the key never expires.",
                    at: graph.location(of: fact),
                    fix: "At line \(fact.line), pass the key's lifetime: `\(fact.detail.replacingOccurrences(of: "(…)", with: ""))(key, value, 'EX', ttlSeconds)`.")
        }
    }
}
