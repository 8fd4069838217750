import { describe, expect, it } from 'vitest';
import { EMBEDDING_DIMENSIONS } from '@medicalcor/domain';
import { PgvectorEmbeddingStore, toVectorLiteral } from '../src/vector/pgvector-embedding-store.js';
import { fakePool } from './support/fakes.js';

const vector = Array.from({ length: EMBEDDING_DIMENSIONS }, (_, i) => (i % 7) / 7);

describe('PgvectorEmbeddingStore', () => {
  it('formats vectors in pgvector text syntax', () => {
    expect(toVectorLiteral([0.5, -1, 2])).toBe('[0.5,-1,2]');
  });

  it('orders by cosine distance with ef_search set for the transaction only', async () => {
    const { pool, queries, release } = fakePool([[]]);
    await new PgvectorEmbeddingStore(pool, { efSearch: 100 }).searchSimilar({ vector, limit: 10 });

    expect(queries[1]?.text).toContain("set_config('hnsw.ef_search', $1, true)");
    expect(queries[2]?.text).toContain('ORDER BY embedding <=> $1::vector');
    expect(queries[2]?.values?.[2]).toBe(10);
    expect(queries.at(-1)?.text).toBe('COMMIT');
    expect(release).toHaveBeenCalledTimes(1);
  });

  it('never asks for more rows than ef_search can return', async () => {
    const { pool, queries } = fakePool([[]]);
    await new PgvectorEmbeddingStore(pool, { efSearch: 40 }).searchSimilar({ vector, limit: 500 });

    expect(queries[2]?.values?.[2]).toBe(40);
  });

  it('rejects vectors of the wrong dimension', async () => {
    const { pool } = fakePool();
    await expect(new PgvectorEmbeddingStore(pool).searchSimilar({ vector: [1, 2, 3], limit: 5 })).rejects.toThrow(
      RangeError,
    );
  });
});
