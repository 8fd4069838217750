import { describe, expect, it } from 'vitest';
import type { AuditLog, AuditLogId } from '@medicalcor/domain';
import { PostgresAuditLogRepository } from '../src/adapters/postgres-audit-log-repository.js';
import { fakePool } from './support/fakes.js';

const entry: AuditLog = {
  id: 'f47ac10b-58cc-4372-a567-0e02b2c3d479' as AuditLogId,
  occurredAt: new Date('2024-03-02T09:10:00Z'),
  actorType: 'user',
  actorId: '00000000-0000-4000-9000-000000000007',
  action: 'patient.read',
  resourceType: 'patient',
  resourceId: '5d2b8a41-1c8e-4f0a-8a57-0c3c2f9e7d10',
  correlationId: null,
  ipHash: null,
  metadata: { route: '/patients/:id' },
};

describe('PostgresAuditLogRepository', () => {
  it('appends with bound parameters only', async () => {
    const { pool, queries } = fakePool();
    await new PostgresAuditLogRepository(pool).append(entry);

    expect(queries[0]?.text).toMatch(/^INSERT INTO audit_logs/);
    expect(queries[0]?.values).toHaveLength(10);
  });

  it('reads the trail of one resource', async () => {
    const { pool, queries } = fakePool([[]]);
    const rows = await new PostgresAuditLogRepository(pool).findByResource('patient', entry.resourceId ?? '', 20);

    expect(rows).toEqual([]);
    expect(queries[0]?.text).toContain('FROM audit_logs');
  });
});
