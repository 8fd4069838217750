import type { Pool } from 'pg';
import type { EventStorePort } from '@medicalcor/application/ports';
import { ConcurrencyError, type DomainEvent, type EventId } from '@medicalcor/domain';

interface EventRow {
  id: string;
  stream_type: string;
  stream_id: string;
  stream_version: string;
  event_type: string;
  payload: Record<string, unknown>;
  metadata: Record<string, unknown>;
  occurred_at: Date;
}

const UNIQUE_VIOLATION = '23505';

function toEvent(row: EventRow): DomainEvent {
  return {
    id: row.id as EventId,
    streamType: row.stream_type,
    streamId: row.stream_id,
    streamVersion: Number(row.stream_version),
    eventType: row.event_type,
    payload: row.payload,
    metadata: row.metadata,
    occurredAt: row.occurred_at,
  };
}

export class PostgresEventStore implements EventStorePort {
  constructor(private readonly pool: Pool) {}

  async append(
    streamType: string,
    streamId: string,
    expectedVersion: number,
    events: readonly DomainEvent[],
  ): Promise<void> {
    const client = await this.pool.connect();
    await client.query('BEGIN');
    try {
      let version = expectedVersion;
      for (const event of events) {
        version += 1;
        await client.query(
          `INSERT INTO events (id, stream_type, stream_id, stream_version, event_type, payload, metadata, occurred_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
          [
            event.id,
            streamType,
            streamId,
            version,
            event.eventType,
            JSON.stringify(event.payload),
            JSON.stringify(event.metadata),
            event.occurredAt,
          ],
        );
      }
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK');
      if ((error as { code?: string }).code === UNIQUE_VIOLATION) {
        throw new ConcurrencyError(streamType, streamId, expectedVersion);
      }
      throw error;
    }
    client.release();
  }

  async readStream(streamType: string, streamId: string): Promise<DomainEvent[]> {
    const result = await this.pool.query<EventRow>(
      `SELECT id, stream_type, stream_id, stream_version, event_type, payload, metadata, occurred_at
       FROM events WHERE stream_type = $1 AND stream_id = $2 ORDER BY stream_version`,
      [streamType, streamId],
    );
    return result.rows.map(toEvent);
  }
}
