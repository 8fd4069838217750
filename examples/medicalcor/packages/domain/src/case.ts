import type { CaseId, PatientId } from './ids.js';

export const CASE_STATUSES = ['open', 'in_treatment', 'closed', 'cancelled'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

export interface Case {
  readonly id: CaseId;
  /** Human-facing number, assigned by the database (bigint identity). */
  readonly caseNumber: bigint | null;
  readonly patientId: PatientId;
  readonly treatmentType: string;
  readonly status: CaseStatus;
  /** Money in minor units; bigint so no value is ever rounded. */
  readonly estimatedValueCents: bigint | null;
  readonly currency: string;
  readonly openedAt: Date;
  readonly closedAt: Date | null;
}

export function closeCase(medicalCase: Case, at: Date): Case {
  if (medicalCase.status === 'closed' || medicalCase.status === 'cancelled') {
    throw new Error(`Case ${medicalCase.id} is already ${medicalCase.status}`);
  }
  return { ...medicalCase, status: 'closed', closedAt: at };
}
