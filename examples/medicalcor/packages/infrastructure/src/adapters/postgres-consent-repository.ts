import type { Pool } from 'pg';
import type { Consent, ConsentChannel, ConsentId, PatientId } from '@medicalcor/domain';

interface ConsentRow {
  id: string;
  patient_id: string;
  purpose: string;
  channel: ConsentChannel;
  legal_basis: string;
  text_version: string;
  granted_at: Date;
  revoked_at: Date | null;
}

const CONSENT_COLUMNS = 'id, patient_id, purpose, channel, legal_basis, text_version, granted_at, revoked_at';

function toConsent(row: ConsentRow): Consent {
  return {
    id: row.id as ConsentId,
    patientId: row.patient_id as PatientId,
    purpose: row.purpose,
    channel: row.channel,
    legalBasis: row.legal_basis,
    textVersion: row.text_version,
    grantedAt: row.granted_at,
    revokedAt: row.revoked_at,
  };
}

export class PostgresConsentRepository {
  constructor(private readonly pool: Pool) {}

  async findActive(patientId: PatientId, purpose: string): Promise<Consent | null> {
    const result = await this.pool.query<ConsentRow>(
      `SELECT ${CONSENT_COLUMNS} FROM consents WHERE patient_id = $1 AND purpose = $2 AND revoked_at IS NULL`,
      [patientId, purpose],
    );
    const row = result.rows[0];
    return row ? toConsent(row) : null;
  }

  async grant(consent: Consent): Promise<void> {
    const client = await this.pool.connect();

    try {
      await client.query('BEGIN');
      await client.query(
        `INSERT INTO consents (id, patient_id, purpose, channel, legal_basis, text_version, granted_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [
          consent.id,
          consent.patientId,
          consent.purpose,
          consent.channel,
          consent.legalBasis,
          consent.textVersion,
          consent.grantedAt,
        ],
      );
      await client.query(
        `INSERT INTO audit_logs (actor_type, action, resource_type, resource_id)
         VALUES ('service', 'consent.granted', 'consent', $1)`,
        [consent.id],
      );
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK');
      throw error;
    } finally {
      client.release();
    }
  }

  async revoke(id: ConsentId, at: Date): Promise<void> {
    await this.pool.query('UPDATE consents SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL', [id, at]);
  }
}
