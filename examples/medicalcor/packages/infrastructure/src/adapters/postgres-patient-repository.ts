import type { Pool } from 'pg';
import type { PatientRepositoryPort } from '@medicalcor/application/ports';
import type { ClinicId, ContactHash, LeadId, Patient, PatientId, PatientStatus } from '@medicalcor/domain';

interface PatientRow {
  id: string;
  lead_id: string | null;
  phone_hash: string;
  email_hash: string | null;
  full_name_encrypted: Buffer;
  date_of_birth_encrypted: Buffer | null;
  preferred_clinic_id: string | null;
  status: PatientStatus;
  created_at: Date;
  updated_at: Date;
}

const PATIENT_COLUMNS =
  'id, lead_id, phone_hash, email_hash, full_name_encrypted, date_of_birth_encrypted, preferred_clinic_id, status, created_at, updated_at';

function toPatient(row: PatientRow): Patient {
  return {
    id: row.id as PatientId,
    leadId: row.lead_id as LeadId | null,
    phoneHash: row.phone_hash as ContactHash,
    emailHash: row.email_hash as ContactHash | null,
    fullNameEncrypted: new Uint8Array(row.full_name_encrypted),
    dateOfBirthEncrypted: row.date_of_birth_encrypted ? new Uint8Array(row.date_of_birth_encrypted) : null,
    preferredClinicId: row.preferred_clinic_id as ClinicId | null,
    status: row.status,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export class PostgresPatientRepository implements PatientRepositoryPort {
  constructor(private readonly pool: Pool) {}

  async findById(id: PatientId): Promise<Patient | null> {
    const result = await this.pool.query<PatientRow>(`SELECT ${PATIENT_COLUMNS} FROM patients WHERE id = $1`, [id]);
    const row = result.rows[0];
    return row ? toPatient(row) : null;
  }

  async findByPhoneHash(phoneHash: ContactHash): Promise<Patient | null> {
    const result = await this.pool.query<PatientRow>(
      `SELECT ${PATIENT_COLUMNS} FROM patients WHERE phone_hash = $1 LIMIT 1`,
      [phoneHash],
    );
    const row = result.rows[0];
    return row ? toPatient(row) : null;
  }

  async findByPreferredClinic(clinicId: ClinicId, limit: number): Promise<Patient[]> {
    const result = await this.pool.query<PatientRow>(
      `SELECT ${PATIENT_COLUMNS} FROM patients WHERE preferred_clinic_id = $1 ORDER BY created_at DESC LIMIT $2`,
      [clinicId, limit],
    );
    return result.rows.map(toPatient);
  }

  async save(patient: Patient): Promise<void> {
    const client = await this.pool.connect();

    try {
      await client.query('BEGIN');
      await client.query(
        `INSERT INTO patients (id, lead_id, phone_hash, email_hash, full_name_encrypted, date_of_birth_encrypted,
                               preferred_clinic_id, status, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
         ON CONFLICT (id) DO UPDATE SET
           phone_hash = EXCLUDED.phone_hash,
           email_hash = EXCLUDED.email_hash,
           full_name_encrypted = EXCLUDED.full_name_encrypted,
           date_of_birth_encrypted = EXCLUDED.date_of_birth_encrypted,
           preferred_clinic_id = EXCLUDED.preferred_clinic_id,
           status = EXCLUDED.status,
           updated_at = EXCLUDED.updated_at`,
        [
          patient.id,
          patient.leadId,
          patient.phoneHash,
          patient.emailHash,
          Buffer.from(patient.fullNameEncrypted),
          patient.dateOfBirthEncrypted ? Buffer.from(patient.dateOfBirthEncrypted) : null,
          patient.preferredClinicId,
          patient.status,
          patient.createdAt,
          patient.updatedAt,
        ],
      );
      await client.query(
        `INSERT INTO audit_logs (actor_type, action, resource_type, resource_id)
         VALUES ('service', 'patient.saved', 'patient', $1)`,
        [patient.id],
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
