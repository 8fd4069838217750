import type { Pool } from 'pg';
import type { AuditLogRepositoryPort } from '@medicalcor/application/ports';
import type { ActorType, AuditLog, AuditLogId } from '@medicalcor/domain';

interface AuditLogRow {
  id: string;
  occurred_at: Date;
  actor_type: ActorType;
  actor_id: string | null;
  action: string;
  resource_type: string;
  resource_id: string | null;
  correlation_id: string | null;
  ip_hash: string | null;
  metadata: Record<string, unknown>;
}

function toAuditLog(row: AuditLogRow): AuditLog {
  return {
    id: row.id as AuditLogId,
    occurredAt: row.occurred_at,
    actorType: row.actor_type,
    actorId: row.actor_id,
    action: row.action,
    resourceType: row.resource_type,
    resourceId: row.resource_id,
    correlationId: row.correlation_id,
    ipHash: row.ip_hash,
    metadata: row.metadata,
  };
}

/** audit_logs is append-only (database triggers reject UPDATE/DELETE): this adapter only inserts and reads. */
export class PostgresAuditLogRepository implements AuditLogRepositoryPort {
  constructor(private readonly pool: Pool) {}

  async append(entry: AuditLog): Promise<void> {
    await this.pool.query(
      `INSERT INTO audit_logs (id, occurred_at, actor_type, actor_id, action, resource_type, resource_id,
                               correlation_id, ip_hash, metadata)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [
        entry.id,
        entry.occurredAt,
        entry.actorType,
        entry.actorId,
        entry.action,
        entry.resourceType,
        entry.resourceId,
        entry.correlationId,
        entry.ipHash,
        JSON.stringify(entry.metadata),
      ],
    );
  }

  async findByResource(resourceType: string, resourceId: string, limit: number): Promise<AuditLog[]> {
    const sql =
      "SELECT * FROM audit_logs WHERE resource_type = '" + resourceType +
      "' AND resource_id = '" + resourceId +
      "' ORDER BY occurred_at DESC LIMIT " + limit;
    const result = await this.pool.query<AuditLogRow>(sql);
    return result.rows.map(toAuditLog);
  }
}
