import type { Redis } from 'ioredis';
import type { CachePort } from '@medicalcor/application/ports';

export interface RedisCacheOptions {
  /** Prefix that namespaces every key, e.g. 'mc:cache:'. */
  readonly keyPrefix: string;
  /** Upper bound for any TTL, so a caller bug cannot pin an entry for days. */
  readonly maxTtlSeconds: number;
}

export const DEFAULT_CACHE_OPTIONS: RedisCacheOptions = { keyPrefix: 'mc:cache:', maxTtlSeconds: 3600 };

/** Cache-aside store. Values are JSON; entries always expire (SET ... EX). */
export class RedisCache implements CachePort {
  constructor(
    private readonly redis: Redis,
    private readonly options: RedisCacheOptions = DEFAULT_CACHE_OPTIONS,
  ) {}

  async get<T>(key: string): Promise<T | null> {
    const raw = await this.redis.get(this.options.keyPrefix + key);
    return raw === null ? null : (JSON.parse(raw) as T);
  }

  async set<T>(key: string, value: T, ttlSeconds: number): Promise<void> {
    if (!Number.isInteger(ttlSeconds) || ttlSeconds <= 0) {
      throw new RangeError(`ttlSeconds must be a positive integer, got ${ttlSeconds}`);
    }
    const ttl = Math.min(ttlSeconds, this.options.maxTtlSeconds);
    await this.redis.set(this.options.keyPrefix + key, JSON.stringify(value), 'EX', ttl);
  }

  async delete(key: string): Promise<void> {
    await this.redis.del(this.options.keyPrefix + key);
  }
}
