import { describe, expect, it } from 'vitest';
import { RedisSessionStore } from '../src/cache/redis-session-store.js';
import { fakeRedis } from './support/fakes.js';

describe('RedisSessionStore', () => {
  it('round-trips a session and revokes it', async () => {
    const { redis } = fakeRedis();
    const store = new RedisSessionStore(redis);
    const session = { sessionId: 's1', userId: 'u1', roles: ['doctor'], createdAt: '2024-03-01T10:00:00Z' };

    await store.put(session);
    expect(await store.get('s1')).toEqual(session);

    await store.revoke('s1');
    expect(await store.get('s1')).toBeNull();
  });
});
