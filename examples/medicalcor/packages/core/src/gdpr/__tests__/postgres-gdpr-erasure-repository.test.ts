import { describe, expect, it } from 'vitest';
import { PostgresGdprErasureRepository } from '../postgres-gdpr-erasure-repository.js';

describe('PostgresGdprErasureRepository', () => {
  it('returns how many leads it erased', async () => {
    const db = { query: async () => ({ rowCount: 3 }) };
    expect(await new PostgresGdprErasureRepository(db).purgeInactiveLeads(24 * 365)).toBe(3);
  });
});
