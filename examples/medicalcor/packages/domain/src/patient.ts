import type { ClinicId, ContactHash, LeadId, PatientId } from './ids.js';

export const PATIENT_STATUSES = ['active', 'inactive', 'deceased'] as const;
export type PatientStatus = (typeof PATIENT_STATUSES)[number];

/** Application-side ciphertext (AES-256-GCM, envelope key in KMS). */
export type EncryptedValue = Uint8Array;

export interface Patient {
  readonly id: PatientId;
  readonly leadId: LeadId | null;
  readonly phoneHash: ContactHash;
  readonly emailHash: ContactHash | null;
  readonly fullNameEncrypted: EncryptedValue;
  readonly dateOfBirthEncrypted: EncryptedValue | null;
  readonly preferredClinicId: ClinicId | null;
  readonly status: PatientStatus;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}
