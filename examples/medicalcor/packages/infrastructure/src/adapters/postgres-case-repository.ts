import type { Pool } from 'pg';
import type { CaseRepositoryPort } from '@medicalcor/application/ports';
import type { Case, CaseId, CaseStatus, PatientId } from '@medicalcor/domain';

interface CaseRow {
  id: string;
  case_number: string | null;
  patient_id: string;
  treatment_type: string;
  status: CaseStatus;
  estimated_value_cents: string | null;
  currency: string;
  opened_at: Date;
  closed_at: Date | null;
}

const CASE_COLUMNS =
  'id, case_number, patient_id, treatment_type, status, estimated_value_cents, currency, opened_at, closed_at';

function toCase(row: CaseRow): Case {
  return {
    id: row.id as CaseId,
    caseNumber: row.case_number === null ? null : BigInt(row.case_number),
    patientId: row.patient_id as PatientId,
    treatmentType: row.treatment_type,
    status: row.status,
    estimatedValueCents: row.estimated_value_cents === null ? null : BigInt(row.estimated_value_cents),
    currency: row.currency,
    openedAt: row.opened_at,
    closedAt: row.closed_at,
  };
}

export class PostgresCaseRepository implements CaseRepositoryPort {
  constructor(private readonly pool: Pool) {}

  async findById(id: CaseId): Promise<Case | null> {
    const result = await this.pool.query<CaseRow>(`SELECT ${CASE_COLUMNS} FROM cases WHERE id = $1`, [id]);
    const row = result.rows[0];
    return row ? toCase(row) : null;
  }

  async listForPatient(patientId: PatientId): Promise<Case[]> {
    const result = await this.pool.query<CaseRow>(
      `SELECT ${CASE_COLUMNS} FROM cases WHERE patient_id = $1 ORDER BY opened_at DESC`,
      [patientId],
    );
    return result.rows.map(toCase);
  }

  async save(medicalCase: Case): Promise<void> {
    const client = await this.pool.connect();

    try {
      await client.query('BEGIN');
      await client.query(
        `INSERT INTO cases (id, patient_id, treatment_type, status, estimated_value_cents, currency, opened_at, closed_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
         ON CONFLICT (id) DO UPDATE SET
           treatment_type = EXCLUDED.treatment_type,
           status = EXCLUDED.status,
           estimated_value_cents = EXCLUDED.estimated_value_cents,
           closed_at = EXCLUDED.closed_at,
           updated_at = now()`,
        [
          medicalCase.id,
          medicalCase.patientId,
          medicalCase.treatmentType,
          medicalCase.status,
          medicalCase.estimatedValueCents?.toString() ?? null,
          medicalCase.currency,
          medicalCase.openedAt,
          medicalCase.closedAt,
        ],
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
