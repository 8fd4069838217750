import type { EventId } from './ids.js';

/** A fact that happened to one aggregate (stream). Payloads carry ids, never PHI. */
export interface DomainEvent<TPayload extends object = Record<string, unknown>> {
  readonly id: EventId;
  readonly streamType: string;
  readonly streamId: string;
  /** 1-based position inside the stream; used for optimistic concurrency. */
  readonly streamVersion: number;
  readonly eventType: string;
  readonly payload: TPayload;
  readonly metadata: Readonly<Record<string, unknown>>;
  readonly occurredAt: Date;
}

export class ConcurrencyError extends Error {
  constructor(
    readonly streamType: string,
    readonly streamId: string,
    readonly expectedVersion: number,
  ) {
    super(`Stream ${streamType}/${streamId} is not at version ${expectedVersion}`);
    this.name = 'ConcurrencyError';
  }
}

/** The "Event" entity of the data map (table events); named DomainEvent to avoid the DOM's Event. */
export type Event<TPayload extends object = Record<string, unknown>> = DomainEvent<TPayload>;
