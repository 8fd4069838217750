import type { Redis } from 'ioredis';
import type { Session, SessionStorePort } from '@medicalcor/application/ports';

const KEY_PREFIX = 'mc:session:';

export class RedisSessionStore implements SessionStorePort {
  constructor(private readonly redis: Redis) {}

  async get(sessionId: string): Promise<Session | null> {
    const raw = await this.redis.get(KEY_PREFIX + sessionId);
    return raw === null ? null : (JSON.parse(raw) as Session);
  }

  async put(session: Session): Promise<void> {
    await this.redis.set(KEY_PREFIX + session.sessionId, JSON.stringify(session));
  }

  async revoke(sessionId: string): Promise<void> {
    await this.redis.del(KEY_PREFIX + sessionId);
  }
}
