import { vi } from 'vitest';
import type { Pool, PoolClient } from 'pg';
import type { Redis } from 'ioredis';

export interface RecordedQuery {
  readonly text: string;
  readonly values: readonly unknown[] | undefined;
}

/** A pg Pool double that records every statement and answers from a queue of row sets. */
export function fakePool(responses: unknown[][] = []) {
  const queries: RecordedQuery[] = [];
  const queue = [...responses];
  const query = vi.fn(async (text: string, values?: unknown[]) => {
    queries.push({ text, values });
    const isControl = /^(BEGIN|COMMIT|ROLLBACK)$/.test(text) || text.startsWith('SELECT set_config');
    return { rows: isControl ? [] : (queue.shift() ?? []), rowCount: 0 };
  });
  const release = vi.fn();
  const client = { query, release } as unknown as PoolClient;
  const pool = { query, connect: vi.fn(async () => client) } as unknown as Pool;
  return { pool, client, query, release, queries };
}

/** An ioredis double backed by a Map; records the arguments of SET. */
export function fakeRedis() {
  const store = new Map<string, string>();
  const setCalls: unknown[][] = [];
  const redis = {
    get: vi.fn(async (key: string) => store.get(key) ?? null),
    set: vi.fn(async (key: string, value: string, ...rest: unknown[]) => {
      setCalls.push([key, value, ...rest]);
      store.set(key, value);
      return 'OK';
    }),
    del: vi.fn(async (key: string) => (store.delete(key) ? 1 : 0)),
  } as unknown as Redis;
  return { redis, store, setCalls };
}
