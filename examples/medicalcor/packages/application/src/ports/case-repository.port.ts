import type { Case, CaseId, PatientId } from '@medicalcor/domain';

export interface CaseRepositoryPort {
  findById(id: CaseId): Promise<Case | null>;
  listForPatient(patientId: PatientId): Promise<Case[]>;
  save(medicalCase: Case): Promise<void>;
}
