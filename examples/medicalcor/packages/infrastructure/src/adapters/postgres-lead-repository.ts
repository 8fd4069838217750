import type { Pool } from 'pg';
import type { LeadRepositoryPort } from '@medicalcor/application/ports';
import type { ContactHash, Lead, LeadId, LeadStatus } from '@medicalcor/domain';

interface LeadRow {
  id: string;
  phone_hash: string;
  email_hash: string | null;
  source: string;
  utm_campaign: string | null;
  status: LeadStatus;
  contact_attempts: string;
  created_at: Date;
  updated_at: Date;
}

const LEAD_COLUMNS =
  'id, phone_hash, email_hash, source, utm_campaign, status, contact_attempts, created_at, updated_at';

function toLead(row: LeadRow): Lead {
  return {
    id: row.id as LeadId,
    phoneHash: row.phone_hash as ContactHash,
    emailHash: row.email_hash as ContactHash | null,
    source: row.source,
    utmCampaign: row.utm_campaign,
    status: row.status,
    // bigint arrives as a string from node-postgres.
    contactAttempts: Number(row.contact_attempts),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export class PostgresLeadRepository implements LeadRepositoryPort {
  constructor(private readonly pool: Pool) {}

  async findById(id: LeadId): Promise<Lead | null> {
    const result = await this.pool.query<LeadRow>(`SELECT ${LEAD_COLUMNS} FROM leads WHERE id = $1`, [id]);
    const row = result.rows[0];
    return row ? toLead(row) : null;
  }

  async findByPhoneHash(phoneHash: ContactHash): Promise<Lead[]> {
    const result = await this.pool.query<LeadRow>(
      `SELECT ${LEAD_COLUMNS} FROM leads WHERE phone_hash = $1 ORDER BY created_at DESC`,
      [phoneHash],
    );
    return result.rows.map(toLead);
  }

  async listByStatus(status: LeadStatus, limit: number): Promise<Lead[]> {
    const result = await this.pool.query<LeadRow>(
      `SELECT ${LEAD_COLUMNS} FROM leads WHERE status = $1 ORDER BY created_at DESC LIMIT $2`,
      [status, limit],
    );
    return result.rows.map(toLead);
  }

  async save(lead: Lead): Promise<void> {
    const client = await this.pool.connect();

    try {
      await client.query('BEGIN');
      await client.query(
        `INSERT INTO leads (id, phone_hash, email_hash, source, utm_campaign, status, contact_attempts, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
         ON CONFLICT (id) DO UPDATE SET
           email_hash = EXCLUDED.email_hash,
           utm_campaign = EXCLUDED.utm_campaign,
           status = EXCLUDED.status,
           contact_attempts = EXCLUDED.contact_attempts,
           updated_at = EXCLUDED.updated_at`,
        [
          lead.id,
          lead.phoneHash,
          lead.emailHash,
          lead.source,
          lead.utmCampaign,
          lead.status,
          lead.contactAttempts,
          lead.createdAt,
          lead.updatedAt,
        ],
      );
      await client.query(
        `INSERT INTO audit_logs (actor_type, action, resource_type, resource_id)
         VALUES ('service', 'lead.saved', 'lead', $1)`,
        [lead.id],
      );
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK');
      throw error;
    } finally {
      client.release();
    }
  }
}
