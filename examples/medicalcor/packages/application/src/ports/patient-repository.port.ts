import type { ClinicId, ContactHash, Patient, PatientId } from '@medicalcor/domain';

export interface PatientRepositoryPort {
  findById(id: PatientId): Promise<Patient | null>;
  findByPhoneHash(phoneHash: ContactHash): Promise<Patient | null>;
  findByPreferredClinic(clinicId: ClinicId, limit: number): Promise<Patient[]>;
  save(patient: Patient): Promise<void>;
}
