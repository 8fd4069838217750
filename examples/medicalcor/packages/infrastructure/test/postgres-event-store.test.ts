import { describe, expect, it } from 'vitest';
import { ConcurrencyError, type DomainEvent, type EventId } from '@medicalcor/domain';
import { PostgresEventStore } from '../src/adapters/postgres-event-store.js';
import { fakePool } from './support/fakes.js';

const opened: DomainEvent = {
  id: '9b2f6a3e-0d4c-4f59-b0e1-2a7d8c5e4f31' as EventId,
  streamType: 'case',
  streamId: 'c0a80121-7ac0-4e1c-9f2b-3d4e5f607182',
  streamVersion: 1,
  eventType: 'CaseOpened',
  payload: { treatmentType: 'implant' },
  metadata: {},
  occurredAt: new Date('2024-03-03T08:00:00Z'),
};

describe('PostgresEventStore', () => {
  it('appends after the expected version in one transaction', async () => {
    const { pool, queries, release } = fakePool();
    await new PostgresEventStore(pool).append('case', opened.streamId, 0, [opened]);

    expect(queries.map((q) => q.text.split(/\s/)[0])).toEqual(['BEGIN', 'INSERT', 'COMMIT']);
    expect(queries[1]?.values?.[3]).toBe(1);
    expect(release).toHaveBeenCalledTimes(1);
  });

  it('maps a unique violation on the stream version to ConcurrencyError', async () => {
    const { pool, query } = fakePool();
    query.mockResolvedValueOnce({ rows: [], rowCount: 0 });
    query.mockRejectedValueOnce(Object.assign(new Error('duplicate key'), { code: '23505' }));

    await expect(new PostgresEventStore(pool).append('case', opened.streamId, 0, [opened])).rejects.toBeInstanceOf(
      ConcurrencyError,
    );
  });
});
