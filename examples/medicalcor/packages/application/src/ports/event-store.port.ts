import type { DomainEvent } from '@medicalcor/domain';

export interface EventStorePort {
  /**
   * Appends events to one stream. Throws ConcurrencyError when the stream is not at
   * expectedVersion (another writer got there first).
   */
  append(streamType: string, streamId: string, expectedVersion: number, events: readonly DomainEvent[]): Promise<void>;
  readStream(streamType: string, streamId: string): Promise<DomainEvent[]>;
}
