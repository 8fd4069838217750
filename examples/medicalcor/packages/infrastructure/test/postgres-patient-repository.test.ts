import { describe, expect, it } from 'vitest';
import type { ClinicId, ContactHash, Patient, PatientId } from '@medicalcor/domain';
import { PostgresPatientRepository } from '../src/adapters/postgres-patient-repository.js';
import { fakePool } from './support/fakes.js';

const patient: Patient = {
  id: '5d2b8a41-1c8e-4f0a-8a57-0c3c2f9e7d10' as PatientId,
  leadId: null,
  phoneHash: 'b'.repeat(64) as ContactHash,
  emailHash: null,
  fullNameEncrypted: new Uint8Array([1, 2, 3]),
  dateOfBirthEncrypted: null,
  preferredClinicId: '00000000-0000-4000-8000-000000000001' as ClinicId,
  status: 'active',
  createdAt: new Date('2024-03-02T09:00:00Z'),
  updatedAt: new Date('2024-03-02T09:00:00Z'),
};

describe('PostgresPatientRepository', () => {
  it('finds a patient by phone hash with a bound parameter', async () => {
    const { pool, queries } = fakePool([[]]);
    const found = await new PostgresPatientRepository(pool).findByPhoneHash(patient.phoneHash);

    expect(found).toBeNull();
    expect(queries[0]?.values).toEqual([patient.phoneHash]);
  });

  it('lists patients of a clinic', async () => {
    const { pool, queries } = fakePool([[]]);
    await new PostgresPatientRepository(pool).findByPreferredClinic(patient.preferredClinicId as ClinicId, 50);

    expect(queries[0]?.text).toContain('preferred_clinic_id = $1');
    expect(queries[0]?.values).toEqual([patient.preferredClinicId, 50]);
  });

  it('saves in one transaction with its audit entry', async () => {
    const { pool, queries, release } = fakePool();
    await new PostgresPatientRepository(pool).save(patient);

    expect(queries.map((q) => q.text.split(/\s/)[0])).toEqual(['BEGIN', 'INSERT', 'INSERT', 'COMMIT']);
    expect(queries[2]?.text).toContain('audit_logs');
    expect(release).toHaveBeenCalledTimes(1);
  });
});
