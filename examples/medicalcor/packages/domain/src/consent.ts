import type { ConsentId, PatientId } from './ids.js';

export const CONSENT_CHANNELS = ['whatsapp', 'sms', 'email', 'phone', 'in_person', 'web'] as const;
export type ConsentChannel = (typeof CONSENT_CHANNELS)[number];

export interface Consent {
  readonly id: ConsentId;
  readonly patientId: PatientId;
  /** e.g. 'data_processing', 'marketing', 'treatment_followup'. */
  readonly purpose: string;
  readonly channel: ConsentChannel;
  readonly legalBasis: string;
  readonly textVersion: string;
  readonly grantedAt: Date;
  readonly revokedAt: Date | null;
}

export function isActive(consent: Consent, at: Date): boolean {
  return consent.grantedAt <= at && (consent.revokedAt === null || consent.revokedAt > at);
}
