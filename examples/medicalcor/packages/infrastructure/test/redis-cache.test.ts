import { describe, expect, it } from 'vitest';
import { RedisCache } from '../src/cache/redis-cache.js';
import { fakeRedis } from './support/fakes.js';

describe('RedisCache', () => {
  it('stores JSON under the prefix with an expiry', async () => {
    const { redis, setCalls } = fakeRedis();
    const cache = new RedisCache(redis, { keyPrefix: 'mc:cache:', maxTtlSeconds: 3600 });

    await cache.set('lead:1', { status: 'new' }, 300);

    expect(setCalls[0]).toEqual(['mc:cache:lead:1', '{"status":"new"}', 'EX', 300]);
    expect(await cache.get('lead:1')).toEqual({ status: 'new' });
  });

  it('caps the TTL and rejects entries that would never expire', async () => {
    const { redis, setCalls } = fakeRedis();
    const cache = new RedisCache(redis, { keyPrefix: 'mc:cache:', maxTtlSeconds: 60 });

    await cache.set('k', 1, 86_400);
    expect(setCalls[0]?.[3]).toBe(60);
    await expect(cache.set('k', 1, 0)).rejects.toThrow(RangeError);
  });
});
