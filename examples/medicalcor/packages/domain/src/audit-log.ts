import type { AuditLogId } from './ids.js';

export type ActorType = 'user' | 'system' | 'service';

/** One entry of the append-only audit trail. Identifiers and hashes only, never PHI. */
export interface AuditLog {
  readonly id: AuditLogId;
  readonly occurredAt: Date;
  readonly actorType: ActorType;
  readonly actorId: string | null;
  readonly action: string;
  readonly resourceType: string;
  readonly resourceId: string | null;
  readonly correlationId: string | null;
  readonly ipHash: string | null;
  readonly metadata: Readonly<Record<string, unknown>>;
}
