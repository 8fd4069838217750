import { describe, expect, it } from 'vitest';
import type { Consent, ConsentId, PatientId } from '@medicalcor/domain';
import { PostgresConsentRepository } from '../src/adapters/postgres-consent-repository.js';
import { fakePool } from './support/fakes.js';

const consent: Consent = {
  id: '7c9e6679-7425-40de-944b-e07fc1f90ae7' as ConsentId,
  patientId: '5d2b8a41-1c8e-4f0a-8a57-0c3c2f9e7d10' as PatientId,
  purpose: 'marketing',
  channel: 'whatsapp',
  legalBasis: 'consent',
  textVersion: 'v2024.01',
  grantedAt: new Date('2024-03-02T09:05:00Z'),
  revokedAt: null,
};

describe('PostgresConsentRepository', () => {
  it('reads only the active consent for a purpose', async () => {
    const { pool, queries } = fakePool([[]]);
    await new PostgresConsentRepository(pool).findActive(consent.patientId, 'marketing');

    expect(queries[0]?.text).toContain('revoked_at IS NULL');
    expect(queries[0]?.values).toEqual([consent.patientId, 'marketing']);
  });

  it('grants in a transaction and writes an audit entry', async () => {
    const { pool, queries, release } = fakePool();
    await new PostgresConsentRepository(pool).grant(consent);

    expect(queries.map((q) => q.text.split(/\s/)[0])).toEqual(['BEGIN', 'INSERT', 'INSERT', 'COMMIT']);
    expect(release).toHaveBeenCalledTimes(1);
  });

  it('revokes by setting revoked_at, never by deleting', async () => {
    const { pool, queries } = fakePool();
    await new PostgresConsentRepository(pool).revoke(consent.id, new Date('2024-04-01T00:00:00Z'));

    expect(queries[0]?.text).toMatch(/^UPDATE consents SET revoked_at/);
  });
});
