import { describe, expect, it } from 'vitest';
import type { ContactHash, Lead, LeadId } from '@medicalcor/domain';
import { PostgresLeadRepository } from '../src/adapters/postgres-lead-repository.js';
import { fakePool } from './support/fakes.js';

const lead: Lead = {
  id: '0b6c1f9e-3f5e-4a57-9d1b-6f1f4b6a2c01' as LeadId,
  phoneHash: 'a'.repeat(64) as ContactHash,
  emailHash: null,
  source: 'whatsapp',
  utmCampaign: 'spring-implants',
  status: 'new',
  contactAttempts: 0,
  createdAt: new Date('2024-03-01T10:00:00Z'),
  updatedAt: new Date('2024-03-01T10:00:00Z'),
};

describe('PostgresLeadRepository', () => {
  it('looks leads up by phone hash with a bound parameter', async () => {
    const { pool, queries } = fakePool([[{ ...lead, phone_hash: lead.phoneHash, contact_attempts: '2' }]]);
    const found = await new PostgresLeadRepository(pool).findByPhoneHash(lead.phoneHash);

    expect(queries[0]?.text).toContain('WHERE phone_hash = $1');
    expect(queries[0]?.values).toEqual([lead.phoneHash]);
    expect(found[0]?.contactAttempts).toBe(2);
  });

  it('saves inside a transaction and releases the client', async () => {
    const { pool, queries, release } = fakePool();
    await new PostgresLeadRepository(pool).save(lead);

    expect(queries.map((q) => q.text.split(/\s/)[0])).toEqual(['BEGIN', 'INSERT', 'INSERT', 'COMMIT']);
    expect(release).toHaveBeenCalledTimes(1);
  });

  it('rolls back and releases the client when a statement fails', async () => {
    const { pool, query, queries, release } = fakePool();
    query.mockImplementationOnce(async (text: string) => {
      queries.push({ text, values: undefined });
      return { rows: [], rowCount: 0 };
    });
    query.mockRejectedValueOnce(new Error('connection reset'));

    await expect(new PostgresLeadRepository(pool).save(lead)).rejects.toThrow('connection reset');
    expect(queries.at(-1)?.text).toBe('ROLLBACK');
    expect(release).toHaveBeenCalledTimes(1);
  });
});
